import type { Clock } from '../../ports/clock.js';
import { k3sNodeNames, type NodeImageStore, type NodeSpec } from '../node/index.js';
import type { ObjectStore } from '../store/index.js';
import type { LogNotFound, LogOptions } from './container-logs.js';
import type { ImageSource } from './image-source.js';
import { type Kubelet, startKubelet } from './kubelet.js';
import { PodFeed } from './pod-feed.js';
import type { RegistriesConfig } from './registry-config.js';

/**
 * `(namespace, pod, container, options) → text | {notFound}`: what the API server's `pods/log`
 * serves (structurally the API server's `LogSource`).
 */
export type LogSource = (
  namespace: string,
  pod: string,
  container: string | undefined,
  options: LogOptions,
) => string | LogNotFound;

export interface KubeletsOptions {
  readonly store: ObjectStore;
  readonly clock: Clock;
  /** Node count (K3s-like names, first is the server) or explicit specs. Default: 1. */
  readonly nodes?: number | readonly NodeSpec[] | undefined;
  /** Architecture per node index (cycled), e.g. `['amd64', 'arm64']`. Default: amd64. */
  readonly architectures?: readonly string[] | undefined;
  /**
   * Loopback ports of registries running on a node, by node name. Default: `registryPorts` on the
   * first (server) node only, as a registry started next to the server would be.
   */
  readonly localRegistries?: Readonly<Record<string, readonly number[]>> | undefined;
  /** Ports of registries started with the cluster (the in-process registry); they run on the server. */
  readonly registryPorts?: readonly number[] | undefined;
  /** registries.yaml for every node, or per node name. */
  readonly registries?: RegistriesConfig | Readonly<Record<string, RegistriesConfig>> | undefined;
  /** Names every node resolves, mapped to a real address (`{'registry.sim': '127.0.0.1'}`). */
  readonly hostAliases?: Readonly<Record<string, string>> | undefined;
  readonly allowExternalRegistries?: boolean | undefined;
  readonly nodeStatusMaxImages?: number | undefined;
  readonly nodeStatusUpdateMs?: number | undefined;
  /** Per-node image stores (e.g. real containerd later). Default: in-memory. */
  readonly imageStoreFor?: ((node: NodeSpec) => NodeImageStore) | undefined;
  /** Replace the pull path (tests). Default: real HTTP registries. */
  readonly imageSourceFor?: ((node: NodeSpec) => ImageSource | undefined) | undefined;
}

export interface Kubelets {
  /** The kubelet of a node; throws for an unknown name. */
  node(name: string): Kubelet;
  nodes(): readonly Kubelet[];
  /** Serves `pods/log` for the whole cluster. */
  readonly logSource: LogSource;
  stop(): void;
}

/** Starts one kubelet per node: a K3s-like cluster's worth of nodes on one store and clock. */
export async function startKubelets(options: KubeletsOptions): Promise<Kubelets> {
  const specs = nodeSpecs(options);
  const feed = new PodFeed(options.store);
  const kubelets: Kubelet[] = [];
  for (const spec of specs) {
    const registries = perNode(options.registries, spec.name);
    const local =
      options.localRegistries?.[spec.name] ?? (spec.index === 0 ? (options.registryPorts ?? []) : []);
    kubelets.push(
      await startKubelet({
        store: options.store,
        clock: options.clock,
        node: spec,
        imageStore: options.imageStoreFor?.(spec),
        imageSource: options.imageSourceFor?.(spec),
        registries,
        network: {
          localRegistryPorts: local,
          hostAliases: options.hostAliases,
          allowExternalRegistries: options.allowExternalRegistries,
        },
        nodeStatusMaxImages: options.nodeStatusMaxImages,
        nodeStatusUpdateMs: options.nodeStatusUpdateMs,
        pods: feed,
      }),
    );
  }
  const byName = new Map(kubelets.map((k) => [k.name, k]));
  return {
    node(name) {
      const kubelet = byName.get(name);
      if (!kubelet) throw new RangeError(`no node named "${name}" (nodes: ${[...byName.keys()].join(', ')})`);
      return kubelet;
    },
    nodes: () => kubelets,
    logSource: (namespace, pod, container, logOptions) => {
      for (const kubelet of kubelets) {
        const result = kubelet.hasPod(namespace, pod)
          ? kubelet.logs(namespace, pod, container, logOptions)
          : undefined;
        if (result !== undefined) return result;
      }
      return { notFound: `pod "${pod}" is not running on any node` };
    },
    stop() {
      feed.stop();
      for (const kubelet of kubelets) kubelet.stop();
    },
  };
}

function nodeSpecs(options: KubeletsOptions): NodeSpec[] {
  const nodes = options.nodes ?? 1;
  if (typeof nodes !== 'number') return [...nodes];
  const architectures = options.architectures ?? ['amd64'];
  return k3sNodeNames(nodes).map((name, index) => ({
    name,
    index,
    role: index === 0 ? 'server' : 'agent',
    architecture: architectures[index % architectures.length],
  }));
}

function perNode(
  registries: RegistriesConfig | Readonly<Record<string, RegistriesConfig>> | undefined,
  node: string,
): RegistriesConfig | undefined {
  if (!registries) return undefined;
  if ('mirrors' in registries || 'configs' in registries || 'disableDefaultEndpoint' in registries) {
    return registries as RegistriesConfig;
  }
  return (registries as Record<string, RegistriesConfig>)[node];
}
