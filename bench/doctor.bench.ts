/**
 * doctor benchmark (issue 5): a simulated API server holding 200 nodes, 1,000 Deployments with
 * their ReplicaSets and 5,000 running pods over 300 distinct images in the in-process registry (a
 * tenth of the pods run a stale digest). Objects are written to the store directly, so the figures
 * are doctor's own: wall time, peak RSS, API requests, registry requests, and the ratio of doctor's
 * wall time to real `kubectl get pods -A -o json` on the same server. The same run at 10
 * Deployments shows the API request count does not grow with the cluster.
 * Targets: API requests constant, registry requests = distinct references, ratio ≤ 2.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpKubeClient } from '../src/adapters/kube/index.js';
import { RegistryClient } from '../src/adapters/registry/index.js';
import { runDoctor } from '../src/pipeline/doctor/index.js';
import { startApiServer, writeKubeconfig } from '../src/sim/apiserver/index.js';
import { ScaledClock } from '../src/sim/clock.js';
import { buildImage, pushImage } from '../src/sim/images/index.js';
import { startRegistry } from '../src/sim/registry/index.js';
import { appImage } from '../src/sim/scenarios/index.js';
import { type KubeObject, ObjectStore } from '../src/sim/store/index.js';

const NODES = 200;
const IMAGES = 300;
const PODS_PER_DEPLOYMENT = 5;

function kubectlGetPods(kubeconfig: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      ['get', 'pods', '-A', '-o', 'json'],
      { env: { PATH: process.env.PATH ?? '', KUBECONFIG: kubeconfig, HOME: '/tmp' }, maxBuffer: 1 << 30 },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`kubectl: ${stderr}`)) : resolve(performance.now() - start),
    );
  });
}

async function measure(deployments: number, log: (line: string) => void): Promise<void> {
  const registry = await startRegistry();
  const digests: string[] = [];
  for (let i = 0; i < IMAGES; i++) {
    const pushed = await pushImage(registry.registry, `bench/app${i}`, 'v1', buildImage(appImage(`v${i}`)));
    digests.push(pushed.digest);
  }
  const stale = buildImage(appImage('old')).digest;
  const clock = new ScaledClock(1);
  const store = new ObjectStore(clock);
  const api = await startApiServer({ store, clock });
  const dir = mkdtempSync(join(tmpdir(), 'kubefresh-bench-'));
  const kubeconfig = join(dir, 'config');
  await writeKubeconfig(kubeconfig, { server: api.url });
  try {
    for (let n = 0; n < NODES; n++) {
      store.create('nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: `node-${n}` },
        status: {
          nodeInfo: { operatingSystem: 'linux', architecture: n % 4 === 0 ? 'arm64' : 'amd64' },
          images: [
            {
              names: [
                `${registry.host}/bench/app${n % IMAGES}@${digests[n % IMAGES]}`,
                `${registry.host}/bench/app${n % IMAGES}:v1`,
              ],
              sizeBytes: 1000,
            },
          ],
        },
      } as KubeObject);
    }
    let podCount = 0;
    for (let d = 0; d < deployments; d++) {
      const image = `${registry.host}/bench/app${d % IMAGES}:v1`;
      const template = {
        metadata: { labels: { app: `app-${d}` } },
        spec: { containers: [{ name: 'app', image, imagePullPolicy: 'Always' }] },
      };
      const deployment = store.create('deployments.apps', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: `app-${d}`,
          namespace: 'default',
          annotations: { 'deployment.kubernetes.io/revision': '1' },
        },
        spec: { replicas: PODS_PER_DEPLOYMENT, selector: { matchLabels: { app: `app-${d}` } }, template },
        status: {
          observedGeneration: 1,
          replicas: PODS_PER_DEPLOYMENT,
          updatedReplicas: PODS_PER_DEPLOYMENT,
          availableReplicas: PODS_PER_DEPLOYMENT,
          readyReplicas: PODS_PER_DEPLOYMENT,
        },
      } as KubeObject);
      const rs = store.create('replicasets.apps', {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `app-${d}-abc`,
          namespace: 'default',
          annotations: { 'deployment.kubernetes.io/revision': '1' },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: `app-${d}`,
              uid: deployment.metadata.uid,
              controller: true,
            },
          ],
        },
        spec: { replicas: PODS_PER_DEPLOYMENT, selector: { matchLabels: { app: `app-${d}` } }, template },
      } as KubeObject);
      for (let p = 0; p < PODS_PER_DEPLOYMENT; p++) {
        const digest = podCount % 10 === 9 ? stale : digests[d % IMAGES];
        store.create('pods', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `app-${d}-abc-${p}`,
            namespace: 'default',
            labels: { app: `app-${d}` },
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: `app-${d}-abc`,
                uid: rs.metadata.uid,
                controller: true,
              },
            ],
          },
          spec: {
            nodeName: `node-${podCount % NODES}`,
            containers: [{ name: 'app', image, imagePullPolicy: 'Always' }],
          },
          status: {
            phase: 'Running',
            containerStatuses: [
              {
                name: 'app',
                image,
                imageID: `${registry.host}/bench/app${d % IMAGES}@${digest}`,
                ready: true,
                restartCount: 0,
                state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
              },
            ],
          },
        } as KubeObject);
        podCount++;
      }
    }
    let apiRequests = 0;
    let registryRequests = 0;
    const kube = new HttpKubeClient({ kubeconfig, onRequest: () => apiRequests++ });
    const client = new RegistryClient({
      onRequest: ({ status }) => status !== undefined && registryRequests++,
    });
    await kubectlGetPods(kubeconfig); // warm the server's paths once, as users' clusters are warm
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const start = performance.now();
    const report = await runDoctor(
      { kube, registry: client },
      { scope: { namespace: 'default', allNamespaces: true } },
    );
    const doctorMs = performance.now() - start;
    clearInterval(sampler);
    const kubectlMs = Math.min(await kubectlGetPods(kubeconfig), await kubectlGetPods(kubeconfig));
    const distinct = new Set(Array.from({ length: deployments }, (_, d) => d % IMAGES)).size;
    log(
      `${deployments} Deployments, ${podCount} pods, ${NODES} nodes, ${distinct} distinct images: doctor ${doctorMs.toFixed(0)} ms, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB, ${apiRequests} API requests, ${registryRequests} registry requests (target ${distinct}); ${report.summary}`,
    );
    log(
      `  kubectl get pods -A -o json: ${kubectlMs.toFixed(0)} ms; ratio doctor/kubectl ${(doctorMs / kubectlMs).toFixed(2)} (target ≤ 2)`,
    );
  } finally {
    await api.close();
    await registry.close();
  }
}

export default async function (log: (line: string) => void): Promise<void> {
  await measure(10, log);
  await measure(1_000, log);
}
