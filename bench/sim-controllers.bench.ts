/**
 * Control-plane benchmark (issue 4): 200 nodes, 1,000 Deployments × 10 replicas created at once on
 * a real-time clock; measures the time until every pod is bound and Running and every Deployment
 * reports its rollout complete, then a rolling update of all of them. Kubelets are stand-ins that
 * mark bound pods Ready at once, so this measures the controllers and the store alone. Peer: the
 * same number of store writes done directly (the floor no controller can beat). Target: settle
 * within 30 s.
 */
import { apiTime, ScaledClock } from '../src/sim/clock.js';
import { startControllers } from '../src/sim/controllers/index.js';
import { type KubeObject, ObjectStore } from '../src/sim/store/index.js';
import { startFakeKubelet } from '../test/sim/controllers/support/fake-kubelet.js';

const NODES = 200;
const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 1_000);
const REPLICAS = 10;

// biome-ignore lint/suspicious/noExplicitAny: the benchmark reads arbitrary API fields
type Loose = KubeObject & { spec: any; status?: any };

function deployment(i: number, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `app-${i}`, namespace: 'default', generation: 1 },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: `app-${i}` } },
      template: {
        metadata: { labels: { app: `app-${i}` } },
        spec: { containers: [{ name: 'app', image, imagePullPolicy: 'IfNotPresent' }] },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
}

function settled(store: ObjectStore, image: string): boolean {
  const deployments = store.list('deployments.apps').items as Loose[];
  for (const d of deployments) {
    const s = d.status ?? {};
    if (d.spec.template.spec.containers[0].image !== image) return false;
    if ((s.observedGeneration ?? 0) < (d.metadata.generation ?? 1)) return false;
    if (s.updatedReplicas !== REPLICAS || s.replicas !== REPLICAS || s.availableReplicas !== REPLICAS)
      return false;
  }
  return true;
}

async function until(store: ObjectStore, image: string, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (!settled(store, image)) {
    if (performance.now() - start > timeoutMs) return Number.NaN;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return performance.now() - start;
}

/** The floor: create and update the same objects straight in the store, no controllers. */
function floor(): number {
  const clock = new ScaledClock(1);
  const store = new ObjectStore(clock);
  const start = performance.now();
  for (let i = 0; i < DEPLOYMENTS; i++) {
    store.create('deployments.apps', deployment(i, 'registry.local/app:v1'));
    store.create('replicasets.apps', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `rs-${i}`, namespace: 'default' },
      spec: {},
    });
    for (let r = 0; r < REPLICAS; r++) {
      const pod = store.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p-${i}-${r}`, namespace: 'default' },
        spec: { containers: [{ name: 'app', image: 'registry.local/app:v1' }] },
        status: { phase: 'Pending' },
      }) as Loose;
      const bound = store.update('pods', {
        ...structuredClone(pod),
        spec: { ...pod.spec, nodeName: 'node-0' },
      }) as Loose;
      store.update('pods', {
        ...structuredClone(bound),
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: apiTime(clock.now()) }],
        },
      });
    }
  }
  return performance.now() - start;
}

export default async function (log: (line: string) => void): Promise<void> {
  const clock = new ScaledClock(1);
  const store = new ObjectStore(clock, Number(process.env.BENCH_LOG ?? 1_000_000));
  const errors: unknown[] = [];
  const controllers = startControllers({ store, clock, onError: (_c, _k, e) => errors.push(e) });
  const kubelet = startFakeKubelet(store, clock);
  for (let i = 0; i < NODES; i++) {
    store.create('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${i}` },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
  }
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  try {
    const created = performance.now();
    for (let i = 0; i < DEPLOYMENTS; i++)
      store.create('deployments.apps', deployment(i, 'registry.local/app:v1'));
    const createMs = await until(store, 'registry.local/app:v1', 120_000);
    const pods = store.list('pods').items as Loose[];
    const perNode = new Map<string, number>();
    for (const pod of pods) perNode.set(pod.spec.nodeName, (perNode.get(pod.spec.nodeName) ?? 0) + 1);
    log(
      `initial rollout: ${pods.length} pods in ${DEPLOYMENTS} Deployments on ${NODES} nodes settled in ` +
        `${(createMs / 1000).toFixed(2)} s (target 30 s); pods per node ${Math.min(...perNode.values())}–${Math.max(...perNode.values())}`,
    );

    const updateStart = performance.now();
    for (let i = 0; i < DEPLOYMENTS; i++) {
      const d = structuredClone(store.get('deployments.apps', 'default', `app-${i}`)) as Loose;
      d.spec.template.spec.containers[0].image = 'registry.local/app:v2';
      d.metadata.generation = (d.metadata.generation ?? 1) + 1;
      store.update('deployments.apps', d);
    }
    const updateMs = await until(store, 'registry.local/app:v2', 120_000);
    log(`rolling update of all ${DEPLOYMENTS} Deployments settled in ${(updateMs / 1000).toFixed(2)} s`);
    log(
      `total ${((performance.now() - created) / 1000).toFixed(2)} s; writes ${store.resourceVersion()}; ` +
        `peak RSS ${(peakRss / 1e6).toFixed(0)} MB; heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB; sync errors ${errors.length}`,
    );
    void updateStart;
  } finally {
    clearInterval(sampler);
    controllers.stop();
    kubelet.stop();
  }
  const floorMs = floor();
  log(
    `peer (floor): the same ${DEPLOYMENTS * (REPLICAS * 3 + 2)} store writes without controllers: ${(floorMs / 1000).toFixed(2)} s`,
  );
}
