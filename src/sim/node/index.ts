/**
 * Simulated K3s nodes: the Node objects they register (K3s-like nodeInfo: kubelet `v1.32.5+k3s1`,
 * runtime `containerd://1.7.x-k3s1`, mixed architectures) and each node's own containerd image
 * store. The store is the point of the whole simulation: caches are per node, a tag names one image
 * per node, and `IfNotPresent` resolves a tag only against this node's store, so two nodes can run
 * two different digests under one tag. `node.status.images` is a lossy summary of that store
 * (largest 50 images, 5 names each), never a pod → image mapping.
 */
export {
  type ImageConfig,
  type ImportedImage,
  InMemoryNodeImageStore,
  type NodeImageStore,
  type PulledImage,
  type StoredImage,
} from './image-store.js';
export {
  type ContainerImage,
  DEFAULT_NODE_STATUS_MAX_IMAGES,
  MAX_NAMES_PER_IMAGE,
  nodeStatusImages,
} from './node-images.js';
export {
  buildNodeObject,
  K3S_CONTAINERD_VERSION,
  K3S_KUBELET_VERSION,
  k3sNodeNames,
  type NodeSpec,
  nodeConditions,
  nodeInternalIP,
  podIPFor,
  stableHex,
} from './node-object.js';
