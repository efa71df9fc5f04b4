import { applyDefaults } from '../../../../src/sim/apiserver/defaults.js';
import { ScaledClock } from '../../../../src/sim/clock.js';
import { type RunningControllers, startControllers } from '../../../../src/sim/controllers/index.js';
import type { ControllerSelection } from '../../../../src/sim/controllers/start.js';
import { type KubeObject, ObjectStore } from '../../../../src/sim/store/index.js';
import { startFakeKubelet } from './fake-kubelet.js';

export interface TestClusterOptions {
  readonly nodes?: number;
  /** Cluster seconds per real millisecond × 1000; default 100 (a 10 s deadline takes 100 ms). */
  readonly speed?: number;
  readonly kubelet?: boolean;
  /** Which images the fake kubelet reports Ready; default all. */
  readonly ready?: (image: string) => boolean;
  readonly run?: ControllerSelection;
}

export interface TestCluster {
  readonly store: ObjectStore;
  readonly clock: ScaledClock;
  readonly errors: unknown[];
  stop(): void;
  node(name: string, extra?: Partial<KubeObject>): KubeObject;
  deployment(name: string, spec?: DeploymentInput): KubeObject;
  /** Applies `change` to the stored Deployment like an API update (generation bumps when spec changed). */
  updateDeployment(name: string, change: (d: DeploymentObject) => void): KubeObject;
  get(resource: string, name: string): KubeObject | undefined;
  list(resource: string): KubeObject[];
  waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  events(reason?: string): { reason: string; message: string; involved: string; type: string }[];
}

export interface DeploymentInput {
  replicas?: number;
  image?: string;
  strategy?: Record<string, unknown>;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  minReadySeconds?: number;
  paused?: boolean;
  annotations?: Record<string, string>;
  nodeSelector?: Record<string, string>;
}

export interface DeploymentObject extends KubeObject {
  spec: {
    replicas: number;
    paused?: boolean;
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      // biome-ignore lint/suspicious/noExplicitAny: tests edit arbitrary pod spec fields
      spec: any;
    };
    [field: string]: unknown;
  };
}

/** Creates an object with the API server's defaulting, as `kubectl create` would. */
function createDefaulted(store: ObjectStore, resource: string, object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  applyDefaults(copy, true);
  return store.create(resource, copy);
}

/** A store with controllers (and by default a fake kubelet) on a fast clock, plus helpers. */
export function startTestCluster(options: TestClusterOptions = {}): TestCluster {
  const clock = new ScaledClock(options.speed ?? 100);
  const store = new ObjectStore(clock);
  const errors: unknown[] = [];
  const controllers: RunningControllers = startControllers({
    store,
    clock,
    run: options.run,
    onError: (_component, _key, error) => errors.push(error),
  });
  const kubelet = options.kubelet === false ? undefined : startFakeKubelet(store, clock, options.ready);
  const cluster: TestCluster = {
    store,
    clock,
    errors,
    stop() {
      controllers.stop();
      kubelet?.stop();
    },
    node(name, extra = {}) {
      return store.create('nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        ...extra,
        metadata: { name, labels: { 'kubernetes.io/hostname': name }, ...(extra.metadata ?? {}) },
        status: extra.status ?? { conditions: [{ type: 'Ready', status: 'True' }] },
      });
    },
    deployment(name, input = {}) {
      return createDefaulted(store, 'deployments.apps', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: 'default', labels: { app: name }, annotations: input.annotations },
        spec: {
          replicas: input.replicas ?? 3,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: {
              containers: [
                {
                  name: 'app',
                  image: input.image ?? 'registry.local/app:v1',
                  imagePullPolicy: 'IfNotPresent',
                },
              ],
              restartPolicy: 'Always',
              terminationGracePeriodSeconds: 30,
              dnsPolicy: 'ClusterFirst',
              schedulerName: 'default-scheduler',
              ...(input.nodeSelector ? { nodeSelector: input.nodeSelector } : {}),
            },
          },
          strategy: input.strategy ?? {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
          },
          revisionHistoryLimit: input.revisionHistoryLimit ?? 10,
          progressDeadlineSeconds: input.progressDeadlineSeconds ?? 600,
          ...(input.minReadySeconds ? { minReadySeconds: input.minReadySeconds } : {}),
          ...(input.paused ? { paused: true } : {}),
        },
      });
    },
    updateDeployment(name, change) {
      const current = store.get('deployments.apps', 'default', name)!;
      const next = structuredClone(current) as DeploymentObject;
      change(next);
      applyDefaults(next, false);
      if (JSON.stringify(next.spec) !== JSON.stringify(current.spec)) {
        next.metadata.generation = (current.metadata.generation ?? 1) + 1;
      }
      return store.update('deployments.apps', next);
    },
    get(resource, name) {
      return store.get(resource, resource === 'nodes' ? undefined : 'default', name);
    },
    list(resource) {
      return store.list(resource).items;
    },
    async waitFor(what, probe, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) return value as never;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    events(reason) {
      return store
        .list('events')
        .items.filter((e) => reason === undefined || e.reason === reason)
        .map((e) => ({
          reason: e.reason as string,
          message: e.message as string,
          type: e.type as string,
          involved: (e.involvedObject as { name: string }).name,
        }));
    },
  };
  return cluster;
}
