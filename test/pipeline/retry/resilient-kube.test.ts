import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKubeClient } from '../../../src/adapters/kube/index.js';
import { SYSTEM_CLOCK } from '../../../src/pipeline/deploy/index.js';
import { observed, resilientKube } from '../../../src/pipeline/retry/index.js';
import type { KubeObject, WatchEvent } from '../../../src/ports/kube.js';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';

describe('resilientKube against a sim API server that fails a share of its requests', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 1, withRegistry: false });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('reads that fail with 500 are retried until they succeed; the bare client gives up', async () => {
    cluster.api.setFaults({ errorRate: 0.3 });
    try {
      const bare = new HttpKubeClient({ kubeconfig: cluster.kubeconfigPath });
      const kube = resilientKube(bare, SYSTEM_CLOCK, { attempts: 12 });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => bare.get('namespaces', undefined, 'default')),
      );
      expect(outcomes.some((o) => o.status === 'rejected')).toBe(true);
      const names = await Promise.all(
        Array.from(
          { length: 20 },
          async () => (await kube.get('namespaces', undefined, 'default')).metadata?.name,
        ),
      );
      expect(names).toEqual(Array(20).fill('default'));
    } finally {
      cluster.api.setFaults({});
    }
  });

  it('a watch whose list fails is started again and delivers its RESYNC', async () => {
    cluster.api.setFaults({ errorRate: 0.7 });
    const stop = new AbortController();
    try {
      const kube = resilientKube(new HttpKubeClient({ kubeconfig: cluster.kubeconfigPath }), SYSTEM_CLOCK, {
        attempts: 30,
      });
      const first = new Promise<WatchEvent<KubeObject>>((resolve) => {
        void kube.watch('namespaces', { signal: stop.signal }, (event) => resolve(event));
      });
      expect((await first).type).toBe('RESYNC');
    } finally {
      stop.abort();
      cluster.api.setFaults({});
    }
  });

  it('a refused connection is said at once, not retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubefresh-refused-'));
    const file = join(dir, 'kubeconfig');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    const kube = resilientKube(new HttpKubeClient({ kubeconfig: file }), SYSTEM_CLOCK);
    const started = Date.now();
    await expect(kube.get('namespaces', undefined, 'default')).rejects.toMatchObject({
      code: 'KUBE_UNREACHABLE',
    });
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('observed: a rejection before the await is not unhandled, and the await still sees it', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const early = observed(Promise.reject(new Error('nodes: HTTP 500')));
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(early).rejects.toThrow('nodes: HTTP 500');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
