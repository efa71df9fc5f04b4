/**
 * deploy benchmark (issue 6): a sim cluster of 5 nodes, a Deployment of 20 replicas, rolled out to
 * a new image by `kubefresh deploy --no-build` and, for the same rollout, by `kubectl set image` +
 * `kubectl rollout status` in the same run (alternating, so both see the same machine load).
 * Figures, medians over ROUNDS each:
 * - verdict latency: from the moment the store records the last pod of the new revision Ready
 *   (an in-process store watch, exact) to kubefresh's verified verdict. Target ≤ 300 ms.
 * - wait time: from the acknowledged image write (the same `repo:tag@digest` patch for both) to the
 *   verdict, kubefresh (wait + digest verification) beside kubectl rollout status (wait only, its
 *   process start included). Target: kubefresh ≤ 1.2× kubectl.
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { HttpKubeClient } from '../src/adapters/kube/index.js';
import { RegistryClient } from '../src/adapters/registry/index.js';
import { lookupWith } from '../src/cli/registry-flags.js';
import { deploy, parseWorkloadTarget } from '../src/pipeline/deploy/index.js';
import { startSimCluster } from '../src/sim/cluster/index.js';
import { LABEL_READY_DELAY } from '../src/sim/images/index.js';
import {
  actions,
  appImage as baseImage,
  deploymentObject,
  waitForRollout,
} from '../src/sim/scenarios/index.js';
import type { KubeObject } from '../src/sim/store/index.js';

const NODES = 5;
const REPLICAS = 20;
const ROUNDS = 5;
/** Simulated seconds per real second. */
const SPEED = 5;
/** Each container becomes ready this long (simulated) after it starts, so a rollout takes seconds. */
const READY_DELAY_MS = 2000;
const NS = 'bench';

function kubectl(kubeconfig: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      [...args],
      { env: { PATH: process.env.PATH ?? '', KUBECONFIG: kubeconfig, HOME: '/tmp' } },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve(),
    );
  });
}

/** An app image that takes READY_DELAY_MS to become ready. */
const appImage = (version: string) => {
  const spec = baseImage(version);
  return { ...spec, labels: { ...spec.labels, [LABEL_READY_DELAY]: String(READY_DELAY_MS) } };
};

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export default async function run(log: (line: string) => void): Promise<void> {
  const cluster = await startSimCluster({ nodes: NODES, speed: SPEED });
  try {
    const registry = cluster.registry!.name;
    const act = actions(cluster, NS);
    await act.namespace();
    await cluster.pushImage(`${registry}/bench/app:v0`, appImage('v0'));
    // A readiness probe, so each pod turns ready READY_DELAY_MS after its process starts.
    const object = deploymentObject(NS, {
      name: 'app',
      image: `${registry}/bench/app:v0`,
      replicas: REPLICAS,
    }) as {
      spec: { template: { spec: { containers: Record<string, unknown>[] } } };
    };
    object.spec.template.spec.containers[0]!.readinessProbe = { httpGet: { path: '/healthz', port: 8080 } };
    const created = await fetch(`${cluster.apiUrl}/apis/apps/v1/namespaces/${NS}/deployments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(object),
    });
    if (!created.ok) throw new Error(`creating the deployment: ${created.status} ${await created.text()}`);
    await waitForRollout(cluster.store, NS, 'app', 60_000);

    // When each pod (by name) was last seen turning Ready, in real time.
    const readyAt = new Map<string, number>();
    const watch = cluster.store.watch('pods', { namespace: NS }, (event) => {
      const pod = event.object as KubeObject & {
        status?: { conditions?: { type: string; status: string }[] };
      };
      const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      const name = pod.metadata.name;
      if (ready && !readyAt.has(name)) readyAt.set(name, performance.now());
    });
    const lookup = await lookupWith([`registry.sim=127.0.0.1`]);
    const kube = new HttpKubeClient({ kubeconfig: cluster.kubeconfigPath });
    const target = parseWorkloadTarget('deployment/app', NS);

    const latencies: number[] = [];
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // kubefresh
      const tagA = `a${round}`;
      await cluster.pushImage(`${registry}/bench/app:${tagA}`, appImage(tagA));
      const registryClient = new RegistryClient({
        insecureRegistries: [registry],
        ...(lookup ? { lookup } : {}),
      });
      readyAt.clear();
      let written = 0;
      let verdict = 0;
      const result = await deploy(
        {
          kube,
          registry: registryClient,
          events: {
            emit: (e) => {
              if (e.type === 'step:done' && e.step === 'set-image') written = performance.now();
              if (e.type === 'step:done' && e.step === 'verify') verdict = performance.now();
            },
          },
        },
        { target, image: `${registry}/bench/app`, source: { kind: 'none' }, tag: tagA },
      );
      if (result.outcome !== 'verified')
        throw new Error(`round ${round}: deploy ${result.outcome}: ${result.failure?.message}`);
      const newPods = new Set(result.verification!.pods.map((p) => p.pod));
      const lastReady = Math.max(...[...readyAt].filter(([name]) => newPods.has(name)).map(([, t]) => t));
      latencies.push(verdict - lastReady);
      ours.push(verdict - written);
      await registryClient.close();

      // kubectl, the same rollout: the same kind of image write (repo:tag@digest by strategic merge
      // patch), then `kubectl rollout status` from the moment the write is acknowledged.
      const tagB = `b${round}`;
      const pushedB = await cluster.pushImage(`${registry}/bench/app:${tagB}`, appImage(tagB));
      await kube.patch(
        'deployments',
        NS,
        'app',
        {
          spec: {
            template: {
              spec: {
                containers: [{ name: 'app', image: `${registry}/bench/app:${tagB}@${pushedB.digest}` }],
              },
            },
          },
        },
        'strategic',
      );
      const start = performance.now();
      await kubectl(cluster.kubeconfigPath, ['-n', NS, 'rollout', 'status', 'deployment/app']);
      theirs.push(performance.now() - start);
      log(
        `  round ${round}: last pod ready → verdict ${(verdict - lastReady).toFixed(0)} ms; wait kubefresh ${(verdict - written).toFixed(0)} ms, kubectl rollout status ${theirs.at(-1)!.toFixed(0)} ms`,
      );
    }
    watch.stop();
    // kubectl's figures include its process start; measure that alone to read them fairly.
    const startups: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await kubectl(cluster.kubeconfigPath, ['-n', NS, 'get', 'deployment', 'app']);
      startups.push(performance.now() - t);
    }
    const latency = median(latencies);
    const ratio = median(ours) / median(theirs);
    log(
      `deploy: ${REPLICAS} replicas over ${NODES} nodes, clock ×${SPEED}, ready ${READY_DELAY_MS} ms after start (simulated), median of ${ROUNDS} rounds`,
    );
    log(
      `  (${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})`,
    );
    log(
      `  (a kubectl get of the same deployment takes ${median(startups).toFixed(0)} ms: kubectl's start-up is inside its figure)`,
    );
    log(
      `  last pod ready → verified verdict: ${latency.toFixed(0)} ms (target ≤ 300 ms) ${latency <= 300 ? 'ok' : 'MISSED'}`,
    );
    log(
      `  wait: kubefresh ${median(ours).toFixed(0)} ms (with digest verification) vs kubectl rollout status ${median(theirs).toFixed(0)} ms = ${ratio.toFixed(2)}× (target ≤ 1.2×) ${ratio <= 1.2 ? 'ok' : 'MISSED'}`,
    );
  } finally {
    await cluster.stop();
  }
}
