/**
 * Whole-cluster benchmark (issue 4): `startSimCluster` with 200 nodes and real kubelets pulling from
 * the in-process registry over HTTP; 1,000 Deployments × 10 replicas created through the API server
 * (HTTP, 32 at a time) at full speed. Reports the time until all 10,000 pods are Running, the peak
 * RSS of the process (cluster + harness), and the wall time of real `kubectl get pods -A -o json`
 * against the floor: `JSON.stringify` of the same pod list in-process. Targets: settle ≤ 30 s,
 * < 1.5 GB, kubectl list ≤ 3× the floor.
 */
import { execFile } from 'node:child_process';
import { startSimCluster } from '../src/sim/cluster/index.js';
import { appImage, deploymentObject } from '../src/sim/scenarios/index.js';

const NODES = Number(process.env.BENCH_NODES ?? 200);
const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 1_000);
const REPLICAS = 10;
const CONCURRENCY = 32;

function kubectl(kubeconfig: string, args: string[]): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      args,
      { env: { PATH: process.env.PATH ?? '', KUBECONFIG: kubeconfig, HOME: '/tmp' }, maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`));
        else resolve({ ms: performance.now() - start, bytes: stdout.length });
      },
    );
  });
}

export default async function (log: (line: string) => void): Promise<void> {
  const errors: unknown[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const cluster = await startSimCluster({ nodes: NODES, speed: 1, onError: (_c, _k, e) => errors.push(e) });
  try {
    const image = `${cluster.registry!.name}/bench/app:v1`;
    await cluster.pushImage(image, appImage('v1'));
    const created = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < DEPLOYMENTS) {
        const i = next++;
        const body = deploymentObject('default', { name: `app-${i}`, image, replicas: REPLICAS });
        const post = () =>
          fetch(`${cluster.apiUrl}/apis/apps/v1/namespaces/default/deployments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        // A kept-alive socket the busy server closed (ECONNRESET) is retried once, as client-go does.
        const response = await post().catch(post);
        if (!response.ok) throw new Error(`create app-${i}: ${response.status} ${await response.text()}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const createdMs = performance.now() - created;
    const total = DEPLOYMENTS * REPLICAS;
    let running = 0;
    while (performance.now() - created < 120_000) {
      running = 0;
      for (const pod of cluster.store.list('pods').items) {
        if ((pod.status as { phase?: string } | undefined)?.phase === 'Running') running++;
      }
      if (running >= total) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const settleMs = performance.now() - created;
    log(
      `settle: ${running}/${total} pods Running in ${DEPLOYMENTS} Deployments on ${NODES} nodes after ` +
        `${(settleMs / 1000).toFixed(2)} s (creates took ${(createdMs / 1000).toFixed(2)} s; target ≤ 30 s)`,
    );

    // The floor: serialize the same objects in-process, as the API server must at least do.
    const floorRuns: number[] = [];
    let floorBytes = 0;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const items = cluster.store.list('pods').items;
      floorBytes = JSON.stringify({ apiVersion: 'v1', kind: 'PodList', metadata: {}, items }).length;
      floorRuns.push(performance.now() - start);
    }
    const floor = Math.min(...floorRuns);
    const serverRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const response = await fetch(`${cluster.apiUrl}/api/v1/pods`);
      await response.arrayBuffer();
      serverRuns.push(performance.now() - start);
    }
    const kubectlRuns: number[] = [];
    let kubectlBytes = 0;
    for (let i = 0; i < 3; i++) {
      const run = await kubectl(cluster.kubeconfigPath, ['get', 'pods', '-A', '-o', 'json']);
      kubectlRuns.push(run.ms);
      kubectlBytes = run.bytes;
    }
    // Where kubectl's time goes: the server's share, from kubectl's own request log (-v=6).
    const verbose = await new Promise<string>((resolve) => {
      execFile(
        'kubectl',
        ['get', 'pods', '-A', '-o', 'json', '-v=6'],
        {
          env: { PATH: process.env.PATH ?? '', KUBECONFIG: cluster.kubeconfigPath, HOME: '/tmp' },
          maxBuffer: 1 << 30,
        },
        (_error, _stdout, stderr) => resolve(stderr),
      );
    });
    const pages = [...verbose.matchAll(/GET \S+\/api\/v1\/pods\S* 200 OK in (\d+) milliseconds/g)];
    const serverShare = pages.reduce((sum, m) => sum + Number(m[1]), 0);
    const server = Math.min(...serverRuns);
    const viaKubectl = Math.min(...kubectlRuns);
    log(
      `floor: JSON.stringify of ${total} pods ${floor.toFixed(0)} ms (${(floorBytes / 1e6).toFixed(1)} MB)`,
    );
    log(`API GET /api/v1/pods: ${server.toFixed(0)} ms (${(server / floor).toFixed(2)}× the floor)`);
    log(
      `kubectl get pods -A -o json: ${viaKubectl.toFixed(0)} ms (${(kubectlBytes / 1e6).toFixed(1)} MB out), ` +
        `${(viaKubectl / floor).toFixed(2)}× the floor (target ≤ 3×); the server answered its ` +
        `${pages.length} pages (limit=500) in ${serverShare} ms in all, the rest is kubectl's own decoding and printing`,
    );
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    log(
      `peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MiB (target < 1536 MiB); controller errors: ${errors.length}`,
    );
  } finally {
    clearInterval(sampler);
    await cluster.stop();
  }
}
