import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import { actions, appImage } from '../../../src/sim/scenarios/index.js';
import { runKubefresh } from '../../support/cli.js';
import { registryFlags } from '../doctor/support.js';

interface RollbackJson {
  outcome: string;
  message: string;
  revision: number;
  newRevision: number;
  warnings: string[];
  containers: {
    ran?: { digest: string; source: string };
    now?: { digest: string };
    moved: boolean;
    expected: string;
    verification?: { ok: boolean; message: string };
    after: { digest: string }[];
  }[];
}

/**
 * Rollbacks on a moving tag: refused when the tag moved since the revision ran, allowed with
 * --allow-moved-tag, always safe for a revision pinned by digest; --to-revision verified.
 */
describe('kubefresh rollback', () => {
  let cluster: SimCluster;
  const ns = 'rb';
  const ref = (tag: string) => `${cluster.registry!.name}/${ns}/app:${tag}`;
  const digests: Record<string, string> = {};
  const kubefresh = (verb: string, args: string[] = []) =>
    runKubefresh(
      [
        verb,
        'deployment/web',
        '-n',
        ns,
        '--kubeconfig',
        cluster.kubeconfigPath,
        ...(verb === 'history' ? [] : registryFlags(cluster)),
        ...args,
      ],
      { env: { HOME: '/nonexistent' } },
    );
  const rollback = async (args: string[] = []) => {
    const result = await kubefresh('rollback', ['-o', 'json', ...args]);
    return { ...result, doc: result.stdout === '' ? undefined : (JSON.parse(result.stdout) as RollbackJson) };
  };

  beforeAll(async () => {
    cluster = await startSimCluster({ speed: 100 });
    const act = actions(cluster, ns);
    await act.namespace();
    digests.v1 = (await cluster.pushImage(ref('v1'), appImage('v1'))).digest;
    digests.v2 = (await cluster.pushImage(ref('v2'), appImage('v2'))).digest;
    await act.deploy({ name: 'web', image: ref('v1'), replicas: 2, pullPolicy: 'Always', changeCause: 'v1' });
    // A verified restart records what revision 2 runs (v1's digest) on its ReplicaSet.
    expect((await kubefresh('restart')).code).toBe(0);
    await act.setImage('web', ref('v2'), 'v2');
    await act.waitForRollout('web');
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('refuses to roll back onto a tag that moved since, naming both digests, and changes nothing', async () => {
    digests.v1moved = (await cluster.pushImage(ref('v1'), appImage('v1-hotfix'))).digest;
    const before = await kubefresh('history', ['-o', 'json']);
    const { code, stderr, stdout } = await rollback();
    expect(stdout).toBe('');
    expect(code).toBe(3);
    expect(stderr).toContain(
      `error: refusing to roll back deployment/web to revision 2: its image ${ref('v1')} has moved since that revision ran (then ${digests.v1!.slice(0, 19)}, from the digest kubefresh recorded; now ${digests.v1moved!.slice(0, 19)})`,
    );
    expect(stderr).toContain(`kubectl set image deployment/web app=${ref('v1')}@${digests.v1} -n ${ns}`);
    expect(stderr).toContain('--allow-moved-tag');
    expect(before.stderr).toBe('');
    expect(JSON.parse(before.stdout).currentRevision).toBe(3);
    expect((await kubefresh('history', ['-o', 'json'])).stdout).toBe(before.stdout);
  });

  it('with --allow-moved-tag rolls back and verifies the digest the tag names now', async () => {
    const { code, doc, stderr } = await rollback(['--allow-moved-tag']);
    expect(code, stderr).toBe(0);
    expect(doc!.outcome).toBe('rolled-back');
    expect(doc!.message).toBe('rolled back');
    expect(doc!.revision).toBe(2);
    expect(doc!.newRevision).toBe(4);
    const [app] = doc!.containers;
    expect(app!.moved).toBe(true);
    expect(app!.expected).toBe(digests.v1moved);
    expect(app!.verification).toMatchObject({ ok: true });
    expect(app!.after.map((p) => p.digest)).toEqual([digests.v1moved, digests.v1moved]);
    expect(doc!.warnings.join('\n')).toContain('rolling back anyway (--allow-moved-tag)');
  });

  it('--to-revision 3 goes back to v2 and verifies it; the same revision again is skipped as kubectl says', async () => {
    const { code, doc, stderr } = await rollback(['--to-revision', '3']);
    expect(code, stderr).toBe(0);
    expect(doc!.outcome).toBe('rolled-back');
    expect(doc!.newRevision).toBe(5);
    expect(doc!.containers[0]!.after.map((p) => p.digest)).toEqual([digests.v2, digests.v2]);
    const again = await rollback(['--to-revision', '5']);
    expect(again.code).toBe(0);
    expect(again.doc!.outcome).toBe('skipped');
    expect(again.doc!.message).toBe('skipped rollback (current template already matches revision 5)');
  });

  it('a revision pinned by digest rolls back safely even after its tag moved', async () => {
    const act = actions(cluster, ns);
    await act.setImage('web', `${ref('v2')}@${digests.v2}`, 'v2 pinned');
    await act.waitForRollout('web');
    await act.setImage('web', ref('v1'), 'v1 again');
    await act.waitForRollout('web');
    await cluster.pushImage(ref('v2'), appImage('v2-moved'));
    const { code, doc, stderr } = await rollback();
    expect(code, stderr).toBe(0);
    expect(doc!.containers[0]).toMatchObject({ moved: false, expected: digests.v2 });
    expect(doc!.containers[0]!.after.map((p) => p.digest)).toEqual([digests.v2, digests.v2]);
    const text = await kubefresh('history');
    expect(text.stdout).toContain('v2 pinned');
  });

  it('kubectl’s errors: unknown revision, no history', async () => {
    const missing = await rollback(['--to-revision', '99']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('error: unable to find specified revision 99 in history');
    await actions(cluster, ns).deploy({ name: 'solo', image: ref('v2'), replicas: 1 });
    const solo = await runKubefresh(
      [
        'rollback',
        'deployment/solo',
        '-n',
        ns,
        '--kubeconfig',
        cluster.kubeconfigPath,
        ...registryFlags(cluster),
      ],
      { env: { HOME: '/nonexistent' } },
    );
    expect(solo.code).toBe(3);
    expect(solo.stderr).toContain('error: no rollout history found for deployment "solo"');
    const usage = await rollback(['--to-revision', 'two']);
    expect(usage.code).toBe(2);
  });
});
