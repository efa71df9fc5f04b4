import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import {
  actions,
  appImage,
  mixedDigests,
  staleLatest,
  waitForExpected,
} from '../../../src/sim/scenarios/index.js';
import { runKubefresh } from '../../support/cli.js';
import { registryFlags } from '../doctor/support.js';

interface RestartJson {
  outcome: string;
  restartedAt: string;
  revision: number;
  containers: {
    name: string;
    pullPolicy: string;
    registry: { digest: string };
    before: { pod: string; digest: string }[];
    after: { pod: string; node: string; digest: string }[];
  }[];
  warnings: { code: string; message: string; fix: string[] }[];
}

describe('kubefresh restart', () => {
  let cluster: SimCluster;
  const restart = async (ns: string, extra: string[] = []) => {
    const result = await runKubefresh(
      [
        'restart',
        'deployment/web',
        '-n',
        ns,
        '--kubeconfig',
        cluster.kubeconfigPath,
        '-o',
        'json',
        ...registryFlags(cluster),
        ...extra,
      ],
      { env: { HOME: '/nonexistent' } },
    );
    return { ...result, doc: result.stdout === '' ? undefined : (JSON.parse(result.stdout) as RestartJson) };
  };

  beforeAll(async () => {
    cluster = await startSimCluster({ speed: 100 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('a moving tag with IfNotPresent: warns before and after, and the pods keep the old digest', async () => {
    const prepared = await staleLatest.setup(cluster, { namespace: 'stale' });
    await prepared.steps[0]!.run(); // push v2 under the same tag
    const v1 = prepared.images.v1!.digest;
    const v2 = prepared.images.v2!.digest;
    const { code, doc, stderr } = await restart('stale');
    expect(code, stderr).toBe(1);
    const [app] = doc!.containers;
    expect(doc!.outcome).toBe('restarted');
    expect(doc!.restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(app!.pullPolicy).toBe('IfNotPresent');
    expect(app!.registry.digest).toBe(v2);
    expect(app!.before.map((p) => p.digest)).toEqual([v1, v1, v1]);
    expect(app!.after.map((p) => p.digest)).toEqual([v1, v1, v1]);
    expect(new Set(app!.after.map((p) => p.pod)).size).toBe(3);
    expect(app!.after.some((p) => app!.before.some((b) => b.pod === p.pod))).toBe(false);
    const codes = doc!.warnings.map((w) => w.code);
    expect(codes).toEqual(['RESTART_CACHED_TAG', 'RESTART_REGISTRY_NEWER']);
    const cached = doc!.warnings[0]!;
    expect(cached.message).toContain('imagePullPolicy IfNotPresent');
    expect(cached.message).toContain(
      `the registry now has ${v2.slice(0, 19)} but pods run ${v1.slice(0, 19)}`,
    );
    expect(cached.fix[0]).toBe(
      `kubectl set image deployment/web app=${cluster.registry!.name}/stale/app:latest@${v2} -n stale`,
    );
    expect(cached.fix.join('\n')).toContain('"imagePullPolicy":"Always"');
  });

  it('with imagePullPolicy Always the restart picks up the moved tag, verified', async () => {
    await actions(cluster, 'stale').setPullPolicy('web', 'Always');
    await actions(cluster, 'stale').waitForRollout('web');
    const v3 = (await cluster.pushImage(`${cluster.registry!.name}/stale/app:latest`, appImage('v3'))).digest;
    const { code, doc, stderr } = await restart('stale');
    expect(code, stderr).toBe(0);
    expect(doc!.warnings).toEqual([]);
    expect(doc!.containers[0]!.after.map((p) => p.digest)).toEqual([v3, v3, v3]);
  });

  it('pods that come back on different digests of one tag are named, with the pin that fixes it', async () => {
    const prepared = await mixedDigests.setup(cluster, { namespace: 'mixed' });
    for (const step of prepared.steps) await step.run();
    await waitForExpected(cluster, 'mixed', prepared.expected);
    const { code, doc, stderr } = await restart('mixed');
    expect(code, stderr).toBe(1);
    const after = new Set(doc!.containers[0]!.after.map((p) => p.digest));
    expect(after).toEqual(new Set([prepared.images.v1!.digest, prepared.images.v2!.digest]));
    const mixed = doc!.warnings.find((w) => w.code === 'RESTART_MIXED_DIGESTS')!;
    expect(mixed.message).toContain('pods came back on 2 different digests');
    expect(mixed.fix[0]).toContain(`app:stable@${prepared.images.v2!.digest}`);
  });

  it('text output shows pods before and after; a paused deployment is refused with kubectl’s message', async () => {
    const text = await runKubefresh(
      [
        'restart',
        'deploy/web',
        '-n',
        'stale',
        '--kubeconfig',
        cluster.kubeconfigPath,
        ...registryFlags(cluster),
      ],
      { env: { HOME: '/nonexistent' } },
    );
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ {2}before:$/m);
    expect(text.stdout).toMatch(/^ {2}after:$/m);
    expect(text.stdout).toContain('deployment.apps/web restarted (revision');
    expect(text.stderr).toContain('successfully rolled out');
    await fetch(`${cluster.apiUrl}/apis/apps/v1/namespaces/stale/deployments/web`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { paused: true } }),
    });
    const paused = await restart('stale');
    expect(paused.code).toBe(3);
    expect(paused.stderr).toContain(
      'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)',
    );
  });
});
