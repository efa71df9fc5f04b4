import { ScaledClock } from '../../../../src/sim/clock.js';
import {
  type BuiltArtifact,
  blobsOf,
  buildImage,
  buildMultiPlatformImage,
  type ImageSpec,
  manifestsOf,
  selectPlatform,
} from '../../../../src/sim/images/build.js';
import {
  importSpecFromConfig,
  type Kubelets,
  type KubeletsOptions,
  type RegistriesConfig,
  startKubelets,
} from '../../../../src/sim/kubelet/index.js';
import {
  type RegistryAuthOptions,
  type RunningRegistry,
  startRegistry,
} from '../../../../src/sim/registry/index.js';
import { type KubeObject, ObjectStore } from '../../../../src/sim/store/index.js';

// biome-ignore lint/suspicious/noExplicitAny: status JSON is asserted field by field in tests
type Any = any;

export interface TestCluster {
  readonly store: ObjectStore;
  readonly clock: ScaledClock;
  readonly registry: RunningRegistry;
  readonly kubelets: Kubelets;
  /** Pushes an image (or a multi-platform one) under `repo:tag`; returns what the tag now names. */
  push(repo: string, tag: string, spec?: ImageSpec, platforms?: string[]): BuiltArtifact;
  /** Creates a pod bound to `node` with one container. */
  pod(
    name: string,
    node: string,
    container: Record<string, unknown>,
    extra?: Record<string, unknown>,
  ): KubeObject;
  /** The pod as stored now. */
  get(name: string): KubeObject | undefined;
  /** Polls (real time) until `check` returns a value. */
  until<T>(check: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  /**
   * Waits until the pod's first container status has at some point matched (every status written
   * is recorded, so short-lived states under a fast clock are not missed by polling).
   */
  seen(
    pod: string,
    check: (status: Record<string, Any>) => boolean,
    what: string,
  ): Promise<Record<string, Any>>;
  /** The pod's first container status. */
  container(name: string): Record<string, Any> | undefined;
  events(pod: string): { reason: string; message: string; type: string; fieldPath?: string; count: number }[];
  close(): Promise<void>;
}

export async function startTestCluster(
  options: Partial<Omit<KubeletsOptions, 'store' | 'clock'>> & {
    speed?: number;
    auth?: RegistryAuthOptions;
    /** registries.yaml for every node, given the registry's port once it listens. */
    registriesFor?: (port: number) => RegistriesConfig;
  } = {},
): Promise<TestCluster> {
  const clock = new ScaledClock(options.speed ?? 200);
  const store = new ObjectStore(clock);
  const registry = await startRegistry(options.auth ? { auth: options.auth } : {});
  const kubelets = await startKubelets({
    store,
    clock,
    registryPorts: [registry.port],
    ...options,
    ...(options.registriesFor ? { registries: options.registriesFor(registry.port) } : {}),
  });
  const history = new Map<string, Record<string, Any>[]>();
  store.watch('pods', {}, (event) => {
    const status = (event.object.status as { containerStatuses?: Record<string, Any>[] } | undefined)
      ?.containerStatuses?.[0];
    if (!status) return;
    const name = event.object.metadata.name;
    if (!history.has(name)) history.set(name, []);
    history.get(name)!.push(status);
  });
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const cluster: TestCluster = {
    store,
    clock,
    registry,
    kubelets,
    push(repo, tag, spec = {}, platforms) {
      const artifact = platforms ? buildMultiPlatformImage(spec, platforms) : buildImage(spec);
      for (const blob of blobsOf(artifact)) registry.registry.pushBlob(repo, blob.bytes);
      const manifests = manifestsOf(artifact);
      for (const manifest of manifests.slice(0, -1))
        registry.registry.pushManifest(repo, manifest.digest, manifest.bytes, manifest.mediaType);
      const top = manifests.at(-1)!;
      registry.registry.pushManifest(repo, tag, top.bytes, top.mediaType);
      return artifact;
    },
    pod(name, node, container, extra = {}) {
      return store.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: {
          nodeName: node,
          restartPolicy: 'Always',
          containers: [{ name: 'app', ...container }],
          ...extra,
        },
      });
    },
    get: (name) => store.get('pods', 'default', name),
    async until(check, what, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = check();
        if (value !== undefined && value !== false) return value as never;
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    seen(pod, check, what) {
      return cluster.until(() => history.get(pod)?.find(check), what);
    },
    container(name) {
      const pod = store.get('pods', 'default', name);
      return (pod?.status as { containerStatuses?: Record<string, Any>[] } | undefined)
        ?.containerStatuses?.[0];
    },
    events(pod) {
      return store
        .list('events', { namespace: 'default' })
        .items.filter((e) => (e.involvedObject as { name: string }).name === pod)
        .map((e) => ({
          reason: e.reason as string,
          message: e.message as string,
          type: e.type as string,
          fieldPath: (e.involvedObject as { fieldPath?: string }).fieldPath,
          count: e.count as number,
        }));
    },
    async close() {
      kubelets.stop();
      await registry.close();
    },
  };
  return cluster;
}

/** The config an import needs, from a built image (like the config inside a `docker save` tarball). */
export function importSpecOf(artifact: BuiltArtifact, platform = 'linux/amd64') {
  const image = artifact.kind === 'index' ? selectPlatform(artifact, platform)! : artifact;
  const size = image.size + image.config.size + image.layers.reduce((sum, l) => sum + l.size, 0);
  return importSpecFromConfig(image.config.bytes, size);
}

/** An image that runs until stopped: entrypoint set so the container starts. */
export function appImage(labels: Record<string, string> = {}, extra: ImageSpec = {}): ImageSpec {
  return { entrypoint: ['/app'], labels, ...extra };
}
