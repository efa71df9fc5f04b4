/**
 * The simulated kubelets: one per node, doing what a K3s node's kubelet and containerd do to a pod.
 *
 * - Pull decisions as the real kubelet makes them: `Always` pulls on every container start (crash
 *   restarts too; a registry outage fails the start even with the image cached), `IfNotPresent`
 *   and `Never` look the tag up in this node's store only, so a tag moved in the registry keeps
 *   running the old digest on nodes that cached it.
 * - Pulls go over real HTTP to OCI registries as containerd would (mirrors, Basic/Bearer auth,
 *   index → platform child), with node-local loopback: `localhost:5000` is only reachable on the
 *   node the registry runs on. Failures read like containerd's errors.
 * - Containers follow the kubelet's state machine with its real reasons, messages, events and
 *   back-offs (`ErrImagePull` → `ImagePullBackOff`, `CrashLoopBackOff`, `OOMKilled`,
 *   `CreateContainerConfigError`…); what a container does comes from its image's behaviour labels.
 * - `image`/`imageID` in pod status are what containerd reports: the repo tag, and the repo digest
 *   (index digest for multi-platform tags) or bare `sha256:<config>` for imported images.
 */
export { Backoff, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS } from './backoff.js';
export { behaviourOf, type ContainerBehaviour } from './behaviour.js';
export type { LogNotFound, LogOptions } from './container-logs.js';
export { goDuration, parseQuantity } from './format.js';
export { imageConfigFromJson, importSpecFromConfig } from './image-config.js';
export { type PullPolicy, pullPolicyOf } from './image-manager.js';
export {
  type ImageSource,
  type Platform,
  PullError,
  type RegistryCredential,
  type ResolvedImage,
  type ResolveRequest,
} from './image-source.js';
export {
  type ImportSpec,
  type Kubelet,
  type KubeletOptions,
  NODE_STATUS_REPORT_MS,
  NODE_STATUS_UPDATE_MS,
  startKubelet,
} from './kubelet.js';
export { type Kubelets, type KubeletsOptions, type LogSource, startKubelets } from './kubelets.js';
export { NodeNetwork, type NodeNetworkOptions } from './node-network.js';
export { ownPodFeed, PodFeed, type PodHandler, type PodSubscription } from './pod-feed.js';
export {
  type Endpoint,
  endpointsFor,
  type HostConfig,
  isLoopbackHost,
  type MirrorConfig,
  type RegistriesConfig,
} from './registry-config.js';
export {
  containerdRef,
  RegistryImageSource,
  type RegistryImageSourceOptions,
} from './registry-image-source.js';
