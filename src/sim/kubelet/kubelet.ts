import { parseImageRef } from '../../core/image-ref/index.js';
import type { Clock } from '../../ports/clock.js';
import { apiTime } from '../clock.js';
import { EventRecorder } from '../events/index.js';
import {
  buildNodeObject,
  DEFAULT_NODE_STATUS_MAX_IMAGES,
  type ImageConfig,
  InMemoryNodeImageStore,
  type NodeImageStore,
  type NodeSpec,
  nodeConditions,
  nodeInternalIP,
  nodeStatusImages,
  podIPFor,
  type StoredImage,
} from '../node/index.js';
import type { KubeObject, ObjectStore } from '../store/index.js';
import { Backoff } from './backoff.js';
import type { LogNotFound, LogOptions } from './container-logs.js';
import { ImageManager } from './image-manager.js';
import type { ImageSource } from './image-source.js';
import { NodeNetwork, type NodeNetworkOptions } from './node-network.js';
import { ownPodFeed, type PodSubscription } from './pod-feed.js';
import { PodWorker } from './pod-worker.js';
import type { RegistriesConfig } from './registry-config.js';
import { containerdRef, RegistryImageSource } from './registry-image-source.js';

/** `nodeStatusUpdateFrequency`: how often the kubelet checks whether node status changed. */
export const NODE_STATUS_UPDATE_MS = 10_000;
/** `nodeStatusReportFrequency`: an unchanged status is still re-posted (heartbeat) this often. */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;

export interface KubeletOptions {
  readonly store: ObjectStore;
  readonly clock: Clock;
  readonly node: NodeSpec;
  /** This node's containerd image store. Default: a new in-memory store. */
  readonly imageStore?: NodeImageStore | undefined;
  /** Where pulls come from. Default: real HTTP registries through this node's network view. */
  readonly imageSource?: ImageSource | undefined;
  /** This node's registries.yaml. */
  readonly registries?: RegistriesConfig | undefined;
  /** Node-local registries, cluster-resolvable names, external access. */
  readonly network?: NodeNetworkOptions | undefined;
  /** `nodeStatusMaxImages`; -1 means no cap. Default: 50. */
  readonly nodeStatusMaxImages?: number | undefined;
  /** Default: {@link NODE_STATUS_UPDATE_MS}. */
  readonly nodeStatusUpdateMs?: number | undefined;
  /** Where pod changes come from. Default: this kubelet's own watch on the store. */
  readonly pods?: PodSubscription | undefined;
}

/** An image to import into one node (like `k3s ctr images import`): its config and identity. */
export interface ImportSpec {
  /** `sha256:<config digest>`. */
  readonly id: string;
  readonly size: number;
  readonly config: ImageConfig;
}

export interface Kubelet {
  readonly name: string;
  readonly spec: NodeSpec;
  readonly images: NodeImageStore;
  readonly network: NodeNetwork;
  /** `k3s ctr images import`: `reference` gets the tag; no repo digest, so pods show `sha256:<config>`. */
  importImage(reference: string, image: ImportSpec): Promise<StoredImage>;
  /** `k3s crictl rmi <ref>`: false when nothing matched. */
  removeImage(reference: string): Promise<boolean>;
  listImages(): Promise<StoredImage[]>;
  /**
   * Logs of a container of a pod on this node (the only container when none is named), or why
   * there are none in the kubelet's words; undefined when the pod is not on this node.
   */
  logs(
    namespace: string,
    pod: string,
    container: string | undefined,
    options: LogOptions,
  ): string | LogNotFound | undefined;
  /** Whether a pod (by namespace/name) runs on this node. */
  hasPod(namespace: string, pod: string): boolean;
  /** Re-posts node status now (images, heartbeat). */
  refreshNodeStatus(): Promise<void>;
  stop(): void;
}

/**
 * Starts a simulated kubelet: registers the Node, watches pods bound to it, runs a
 * {@link PodWorker} per pod and keeps `node.status` (conditions, heartbeat, images) current.
 */
export async function startKubelet(options: KubeletOptions): Promise<Kubelet> {
  const { store, clock, node } = options;
  const platform = { os: 'linux', architecture: node.architecture ?? 'amd64' };
  const images = options.imageStore ?? new InMemoryNodeImageStore();
  const network = new NodeNetwork(options.network);
  const source = options.imageSource ?? new RegistryImageSource({ network, registries: options.registries });
  const recorder = new EventRecorder(store, clock, { component: 'kubelet', host: node.name });
  const hostIP = nodeInternalIP(node.index);
  const maxImages = options.nodeStatusMaxImages ?? DEFAULT_NODE_STATUS_MAX_IMAGES;
  const updateMs = options.nodeStatusUpdateMs ?? NODE_STATUS_UPDATE_MS;
  const workers = new Map<string, PodWorker>();
  const byName = new Map<string, PodWorker>();
  let ipCounter = 0;
  let stopped = false;
  let lastImagesText = '';
  let lastReport = 0;
  let statusQueue: Promise<void> = Promise.resolve();
  let refreshPending: Promise<void> | undefined;
  let forcePending = false;

  // Coalesced: a burst of pulls on one node triggers one status write, not one per pull.
  const refreshNodeStatus = (force = false): Promise<void> => {
    forcePending ||= force;
    if (refreshPending) return refreshPending;
    refreshPending = statusQueue = statusQueue.then(async () => {
      refreshPending = undefined;
      const forced = forcePending;
      forcePending = false;
      if (stopped) return;
      const list = await images.list();
      const imageStatus = nodeStatusImages(list, maxImages);
      const imagesText = JSON.stringify(imageStatus);
      const now = clock.now();
      const changed = imagesText !== lastImagesText;
      if (!forced && !changed && now - lastReport < NODE_STATUS_REPORT_MS) return;
      const current = store.get('nodes', undefined, node.name);
      if (!current) return;
      const next = structuredClone(current);
      if (!next.status) next.status = {};
      const status = next.status as Record<string, unknown>;
      status.images = imageStatus;
      const previous =
        (status.conditions as { type: string; lastTransitionTime: string }[] | undefined) ?? [];
      const conditions = nodeConditions(apiTime(now), apiTime(now));
      for (const condition of conditions) {
        const old = previous.find((c) => c.type === condition.type);
        if (old) condition.lastTransitionTime = old.lastTransitionTime;
      }
      status.conditions = conditions;
      delete next.metadata.resourceVersion;
      store.update('nodes', next);
      lastImagesText = imagesText;
      lastReport = now;
    });
    return statusQueue;
  };
  // Pod status names images by their current tags and digests (containerd resolves them at status
  // time), so a moved tag or a removed image shows up in running pods' status too.
  // Only a change of names matters to pods (a re-pull of the same digest changes nothing), and
  // re-publishing every pod of the node on each pull would cost O(pods²) per node.
  let namesSignature = '';
  let namesCheckPending = false;
  const imagesChanged = () => {
    void refreshNodeStatus();
    if (namesCheckPending) return;
    namesCheckPending = true;
    void Promise.resolve().then(async () => {
      namesCheckPending = false;
      const signature = (await images.list())
        .map((i) => `${i.id}=${i.repoTags.join(',')}@${i.repoDigests.join(',')}`)
        .sort()
        .join(';');
      if (signature === namesSignature) return;
      namesSignature = signature;
      for (const worker of workers.values()) worker.schedulePublish();
    });
  };

  const pullBackoff = new Backoff();
  const imageManager = new ImageManager({
    store,
    clock,
    recorder,
    images,
    source,
    platform,
    backoff: pullBackoff,
    onImagesChanged: imagesChanged,
  });
  const crashBackoff = new Backoff();
  const context = {
    store,
    clock,
    recorder,
    imageManager,
    images,
    crashBackoff,
    nodeName: node.name,
    hostIP,
    allocatePodIP: () => podIPFor(node.index, ipCounter++),
    onGone: (uid: string) => forget(uid),
  };

  const forget = (uid: string) => {
    const worker = workers.get(uid);
    if (!worker) return;
    workers.delete(uid);
    imageManager.forgetPod(uid);
    const key = `${worker.namespace}/${worker.name}`;
    if (byName.get(key) === worker) byName.delete(key);
  };

  const onPod = (type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: KubeObject) => {
    if (stopped) return;
    const uid = pod.metadata.uid ?? '';
    const mine = (pod.spec as { nodeName?: string } | undefined)?.nodeName === node.name;
    const existing = workers.get(uid);
    if (type === 'DELETED' || !mine) {
      if (existing) {
        existing.stop();
        forget(uid);
      }
      return;
    }
    if (existing) {
      existing.update(pod);
      return;
    }
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    if (pod.metadata.deletionTimestamp) {
      try {
        store.delete('pods', pod.metadata.namespace, pod.metadata.name);
      } catch {
        // already gone
      }
      return;
    }
    const worker = new PodWorker(context, pod);
    workers.set(uid, worker);
    byName.set(`${worker.namespace}/${worker.name}`, worker);
    worker.start();
  };

  // Register the node (or take over an existing Node object, as a restarted kubelet does).
  if (!store.get('nodes', undefined, node.name)) store.create('nodes', buildNodeObject(node, clock));
  let unsubscribe: (() => void) | undefined = (options.pods ?? ownPodFeed(store)).subscribe(node.name, onPod);
  await refreshNodeStatus(true);

  let cancelTick: (() => void) | undefined;
  const tick = () => {
    if (stopped) return;
    void refreshNodeStatus();
    pullBackoff.gc(clock.now());
    crashBackoff.gc(clock.now());
    cancelTick = clock.setTimeout(tick, updateMs);
  };
  cancelTick = clock.setTimeout(tick, updateMs);

  const normalize = (reference: string): string =>
    reference.startsWith('sha256:') ? reference : containerdRef(parseImageRef(reference));

  return {
    name: node.name,
    spec: node,
    images,
    network,
    async importImage(reference, image) {
      const ref = parseImageRef(reference);
      const stored = await images.importImage({
        repoTag: `${ref.name()}:${ref.effectiveTag() ?? 'latest'}`,
        id: image.id,
        size: image.size,
        config: image.config,
      });
      imagesChanged();
      return stored;
    },
    async removeImage(reference) {
      const removed = await images.remove(normalize(reference));
      if (removed) imagesChanged();
      return removed;
    },
    listImages: () => images.list(),
    logs(namespace, pod, container, logOptions) {
      const worker = byName.get(`${namespace}/${pod}`);
      if (!worker) return undefined;
      const names = worker.containers().filter((r) => !r.init);
      const name = container || (names.length === 1 ? names[0]!.name : undefined);
      if (name === undefined) return { notFound: `a container name must be specified for pod ${pod}` };
      return worker.logs(name, logOptions);
    },
    hasPod: (namespace, pod) => byName.has(`${namespace}/${pod}`),
    refreshNodeStatus: () => refreshNodeStatus(true),
    stop() {
      stopped = true;
      cancelTick?.();
      unsubscribe?.();
      unsubscribe = undefined;
      network.destroy();
      for (const worker of workers.values()) worker.stop();
      workers.clear();
      byName.clear();
    },
  };
}
