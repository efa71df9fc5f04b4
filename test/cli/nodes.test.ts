import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../src/sim/cluster/index.js';
import { mixedDigests, waitForExpected } from '../../src/sim/scenarios/index.js';
import { registryFlags } from '../pipeline/doctor/support.js';
import { runKubefresh } from '../support/cli.js';

describe('kubefresh nodes', () => {
  let cluster: SimCluster;
  let reference: string;
  let v1: string;
  let v2: string;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 3, speed: 100 });
    const s = await mixedDigests.setup(cluster);
    for (const step of s.steps) await step.run();
    await waitForExpected(cluster, s.namespace, s.expected);
    reference = s.images.v1!.reference;
    v1 = s.images.v1!.digest;
    v2 = s.images.v2!.digest;
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('shows which node caches which digest of the tag, the pods on each, and flags divergence', async () => {
    const result = await runKubefresh(
      ['nodes', reference, '--kubeconfig', cluster.kubeconfigPath, '-o', 'json', ...registryFlags(cluster)],
      {
        env: { HOME: '/nonexistent' },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { tags } = JSON.parse(result.stdout) as {
      tags: {
        reference: string;
        diverged: boolean;
        digests: string[];
        registryDigest: string;
        rows: { node: string; cached: string[]; pods: { digest: string }[] }[];
      }[];
    };
    expect(tags).toHaveLength(1);
    expect(tags[0]!.reference).toBe(reference);
    expect(tags[0]!.diverged).toBe(true);
    expect(tags[0]!.digests.sort()).toEqual([v1, v2].sort());
    expect(tags[0]!.registryDigest).toBe(v2);
    const cachedV1 = tags[0]!.rows.filter((r) => r.cached.includes(v1));
    expect(cachedV1).toHaveLength(1);
    expect(cachedV1[0]!.pods.map((p) => p.digest)).toEqual([v1]);
  });

  it('prints a table with the divergence flag and registry marks', async () => {
    const result = await runKubefresh(
      ['nodes', reference, '--kubeconfig', cluster.kubeconfigPath, ...registryFlags(cluster)],
      {
        env: { HOME: '/nonexistent', NO_COLOR: '1' },
      },
    );
    expect(result.stdout.split('\n')[0]).toBe(
      `${reference}  registry: ${v2.slice(0, 19)}  DIVERGED (2 digests)`,
    );
    expect(result.stdout).toContain(`${v1.slice(0, 19)} ✗`);
    expect(result.stdout).toContain(`${v2.slice(0, 19)} ✓`);
  });

  it('a bad image argument is a usage error', async () => {
    const result = await runKubefresh(['nodes', 'Bad:Image', '--kubeconfig', cluster.kubeconfigPath]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must be lowercase');
  });
});
