import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseImageRef } from '../../core/image-ref/index.js';
import { type ApiServer, type Faults, startApiServer, writeKubeconfig } from '../apiserver/index.js';
import { ScaledClock } from '../clock.js';
import { type RunningControllers, startControllers } from '../controllers/index.js';
import { type PushResult, pushImage } from '../images/index.js';
import { type Kubelet, type Kubelets, type RegistriesConfig, startKubelets } from '../kubelet/index.js';
import { k3sNodeNames, nodeInternalIP, type StoredImage } from '../node/index.js';
import {
  type InProcessRegistry,
  type RegistryAuthOptions,
  type RunningRegistry,
  startRegistry,
} from '../registry/index.js';
import { ObjectStore } from '../store/index.js';
import { artifactOf, type ImageInput, importSpecFor } from './images.js';
import { parseRegistriesYaml } from './registries-yaml.js';

/** The name every node resolves to the cluster's registry (with the registry's port). */
export const CLUSTER_REGISTRY_NAME = 'registry.sim';

export interface SimClusterOptions {
  /** Node count: the first is the server (`k3s-server`), then `k3s-agent-1`…. Default: 3. */
  readonly nodes?: number;
  /** Architecture of every node, or one per node (cycled), e.g. `['amd64', 'arm64']`. Default: amd64. */
  readonly arch?: string | readonly string[];
  /** Simulated seconds per real second. Default: 1 (tests use 50–500). */
  readonly speed?: number;
  /** API server address. Default: `127.0.0.1`. */
  readonly host?: string;
  /** API server port. Default: 0 (any free port). */
  readonly port?: number;
  /** Start the in-process registry on the server node. Default: true. */
  readonly withRegistry?: boolean;
  /** Registry port on 127.0.0.1. Default: 0 (any free port). */
  readonly registryPort?: number;
  /** Auth for the cluster registry. Default: open. */
  readonly registryAuth?: RegistryAuthOptions;
  /** Write the kubeconfig here. Default: a file in a new temp directory, removed on `stop()`. */
  readonly kubeconfigPath?: string;
  /** Let nodes pull from real registries through real DNS. Default: false (loopback only). */
  readonly allowExternalRegistries?: boolean;
  /** API faults active from the start. */
  readonly faults?: Faults;
  /** Unexpected controller errors (retried). Default: ignored. */
  readonly onError?: (component: string, key: string, error: unknown) => void;
}

/**
 * A registry the cluster's nodes can pull from. `name` (`registry.sim:PORT`) resolves on every
 * node and is served over plain HTTP through a registries.yaml mirror on each node, as K3s users
 * configure an in-cluster registry; `localName` (`localhost:PORT`) is what the registry is on the
 * node that runs it, and reaches nothing on the others; `url` is how this machine reaches it.
 */
export interface SimRegistry {
  /** `registry.sim:PORT`: use it in image references every node can pull. */
  readonly name: string;
  /** `localhost:PORT`: pullable only on {@link SimRegistry.node} (the seed's multi-node trap). */
  readonly localName: string;
  /** `http://127.0.0.1:PORT`, for pushes and clients on this machine (`127.0.0.1:PORT/app`). */
  readonly url: string;
  readonly port: number;
  /** The node whose loopback the registry listens on; undefined for a network registry. */
  readonly node: string | undefined;
  readonly registry: InProcessRegistry;
}

/** One simulated node's containerd, as `k3s ctr` / `crictl` on that node see it. */
export interface SimNode {
  readonly name: string;
  readonly role: 'server' | 'agent';
  readonly architecture: string;
  /** `k3s ctr images import`: tags the image on this node only (imageID will be `sha256:<config>`). */
  importImage(reference: string, image: ImageInput): Promise<StoredImage>;
  /** `crictl rmi`: false when nothing matched. */
  removeImage(reference: string): Promise<boolean>;
  /** `crictl images`. */
  images(): Promise<StoredImage[]>;
  /** The node's kubelet (status refresh, network view). */
  readonly kubelet: Kubelet;
  /**
   * Writes this node's `/etc/rancher/k3s/registries.yaml` (K3s text) and restarts its agent, which
   * is when K3s reads it: the next pull on this node uses it. The cluster's own `registry.sim`
   * mirrors stay. Throws a RangeError for a file K3s would refuse.
   */
  applyRegistries(yaml: string): void;
}

export interface SimCluster {
  /** `http://127.0.0.1:PORT` */
  readonly apiUrl: string;
  readonly kubeconfigPath: string;
  readonly api: ApiServer;
  readonly store: ObjectStore;
  readonly clock: ScaledClock;
  readonly kubelets: Kubelets;
  readonly nodeNames: readonly string[];
  /** The cluster registry on the server node; undefined with `withRegistry: false`. */
  readonly registry: SimRegistry | undefined;
  /** The registries nodes can reach (the cluster one first). */
  registries(): readonly SimRegistry[];
  /** A node by name; throws naming the nodes for an unknown one. */
  node(name: string): SimNode;
  /**
   * Starts another registry on this machine that every node reaches as `name:PORT` (plain HTTP via
   * a mirror), e.g. a private one with auth. Nodes see it at once (registries.yaml is re-read).
   */
  addRegistry(options: { name: string; auth?: RegistryAuthOptions; port?: number }): Promise<SimRegistry>;
  /**
   * Pushes an image (built from a spec for linux/amd64, or as given) to the registry the reference
   * names (any of a cluster registry's names) and returns what the tag now names.
   */
  pushImage(reference: string, image: ImageInput): Promise<PushResult>;
  /** Stops kubelets, controllers, API server and registries; removes a temp kubeconfig. */
  stop(): Promise<void>;
}

/**
 * Starts a K3s-like cluster in this process: object store, API server, controllers, one kubelet
 * per node and (by default) an OCI registry "running on" the server node. Real kubectl works
 * against `kubeconfigPath`.
 */
export async function startSimCluster(options: SimClusterOptions = {}): Promise<SimCluster> {
  const nodeCount = options.nodes ?? 3;
  if (!Number.isInteger(nodeCount) || nodeCount < 1)
    throw new RangeError(`nodes must be a whole number >= 1, got ${nodeCount}`);
  const architectures = typeof options.arch === 'string' ? [options.arch] : [...(options.arch ?? ['amd64'])];
  if (architectures.length === 0) throw new RangeError('arch must name at least one architecture');
  const clock = new ScaledClock(options.speed ?? 1);
  const store = new ObjectStore(clock);
  const cleanup: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  };
  try {
    const registries: SimRegistry[] = [];
    const running: RunningRegistry[] = [];
    // One mutable registries.yaml per node and a host table shared by every node: addRegistry
    // extends all of them; applyRegistries rewrites one node's file.
    const hostAliases: Record<string, string> = {};
    // The registry "on the server" listens on all its interfaces, as `docker run -p 5000:5000` does.
    hostAliases[nodeInternalIP(0)] = '127.0.0.1';
    const builtIn: Record<string, { endpoint: string[] }> = {};
    const nodeConfigs: Record<
      string,
      { mirrors: Record<string, unknown>; configs: Record<string, unknown> }
    > = {};
    for (const name of k3sNodeNames(nodeCount)) nodeConfigs[name] = { mirrors: {}, configs: {} };
    const declare = (name: string, port: number) => {
      hostAliases[name] = '127.0.0.1';
      builtIn[`${name}:${port}`] = { endpoint: [`http://${name}:${port}`] };
      for (const config of Object.values(nodeConfigs))
        config.mirrors[`${name}:${port}`] = builtIn[`${name}:${port}`];
    };
    const registriesConfig = nodeConfigs as unknown as Record<string, RegistriesConfig>;

    let clusterRegistry: SimRegistry | undefined;
    if (options.withRegistry !== false) {
      const started = await startRegistry({
        host: '127.0.0.1',
        port: options.registryPort ?? 0,
        ...(options.registryAuth ? { auth: options.registryAuth } : {}),
      });
      cleanup.push(() => started.close());
      running.push(started);
      declare(CLUSTER_REGISTRY_NAME, started.port);
      clusterRegistry = {
        name: `${CLUSTER_REGISTRY_NAME}:${started.port}`,
        localName: `localhost:${started.port}`,
        url: started.url,
        port: started.port,
        node: 'k3s-server',
        registry: started.registry,
      };
      registries.push(clusterRegistry);
    }

    const kubelets = await startKubelets({
      store,
      clock,
      nodes: nodeCount,
      architectures,
      registryPorts: clusterRegistry ? [clusterRegistry.port] : [],
      registries: registriesConfig,
      hostAliases,
      allowExternalRegistries: options.allowExternalRegistries ?? false,
    });
    cleanup.push(() => kubelets.stop());
    const controllers: RunningControllers = startControllers({
      store,
      clock,
      ...(options.onError ? { onError: options.onError } : {}),
    });
    cleanup.push(() => controllers.stop());
    const api = await startApiServer({
      store,
      clock,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      logSource: kubelets.logSource,
      ...(options.faults ? { faults: options.faults } : {}),
    });
    cleanup.push(() => api.close());

    let kubeconfigPath = options.kubeconfigPath;
    if (kubeconfigPath === undefined) {
      const dir = await mkdtemp(join(tmpdir(), 'kubefresh-sim-'));
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
      kubeconfigPath = join(dir, 'kubeconfig');
    }
    await writeKubeconfig(kubeconfigPath, { server: api.url });

    const nodes = new Map<string, SimNode>();
    for (const kubelet of kubelets.nodes()) {
      const architecture = kubelet.spec.architecture ?? 'amd64';
      const platform = `linux/${architecture}`;
      nodes.set(kubelet.name, {
        name: kubelet.name,
        role: kubelet.spec.index === 0 ? 'server' : 'agent',
        architecture,
        kubelet,
        importImage: (reference, image) =>
          kubelet.importImage(reference, importSpecFor(artifactOf(image, platform), platform)),
        removeImage: (reference) => kubelet.removeImage(reference),
        images: () => kubelet.listImages(),
        applyRegistries(yaml) {
          const parsed = parseRegistriesYaml(yaml);
          const config = nodeConfigs[kubelet.name]!;
          for (const key of Object.keys(config.mirrors)) delete config.mirrors[key];
          for (const key of Object.keys(config.configs)) delete config.configs[key];
          Object.assign(config.mirrors, builtIn, parsed.mirrors ?? {});
          Object.assign(config.configs, parsed.configs ?? {});
        },
      });
    }

    const registryFor = (reference: string): SimRegistry => {
      const host = parseImageRef(reference).registry;
      const found = registries.find(
        (r) => host === r.name || host === r.localName || host === `127.0.0.1:${r.port}`,
      );
      if (!found) {
        const known = registries.map((r) => r.name).join(', ') || 'none (started with withRegistry: false)';
        throw new RangeError(
          `"${reference}" names registry "${host}", which this cluster does not run (${known})`,
        );
      }
      return found;
    };

    return {
      apiUrl: api.url,
      kubeconfigPath,
      api,
      store,
      clock,
      kubelets,
      nodeNames: kubelets.nodes().map((k) => k.name),
      registry: clusterRegistry,
      registries: () => [...registries],
      node(name) {
        const node = nodes.get(name);
        if (!node) throw new RangeError(`no node named "${name}" (nodes: ${[...nodes.keys()].join(', ')})`);
        return node;
      },
      async addRegistry({ name, auth, port }) {
        if (registries.some((r) => r.name.startsWith(`${name}:`)))
          throw new RangeError(`a registry named "${name}" already runs in this cluster`);
        const started = await startRegistry({
          host: '127.0.0.1',
          port: port ?? 0,
          ...(auth ? { auth } : {}),
        });
        cleanup.push(() => started.close());
        declare(name, started.port);
        const added: SimRegistry = {
          name: `${name}:${started.port}`,
          localName: `localhost:${started.port}`,
          url: started.url,
          port: started.port,
          node: undefined,
          registry: started.registry,
        };
        registries.push(added);
        return added;
      },
      async pushImage(reference, image) {
        const ref = parseImageRef(reference);
        const target = registryFor(reference);
        return pushImage(target.registry, ref.repository, ref.manifestReference(), artifactOf(image));
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
