import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKubeClient } from '../../../src/adapters/kube/index.js';
import { buildHistory, readHistory } from '../../../src/pipeline/history/index.js';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import { actions, appImage, undoHistory, waitForExpected } from '../../../src/sim/scenarios/index.js';
import { runKubefresh } from '../../support/cli.js';

interface HistoryJson {
  kind: string;
  currentRevision: number;
  revisions: {
    revision: number;
    previousRevisions: number[];
    changeCause: string | null;
    current: boolean;
    containers: {
      name: string;
      image: string;
      pinned: string | null;
      running: { digest: string | null; pods: { name: string; node: string }[] }[];
    }[];
  }[];
}

describe('kubefresh history', () => {
  let cluster: SimCluster;
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    cluster = await startSimCluster({ speed: 100 });
    // Three releases, each pinned by digest as `kubefresh deploy` sets them.
    const ns = 'pinned';
    const act = actions(cluster, ns);
    await act.namespace();
    const ref = (v: string) => `${cluster.registry!.name}/${ns}/app:${v}`;
    for (const v of ['v1', 'v2', 'v3']) digests[v] = (await cluster.pushImage(ref(v), appImage(v))).digest;
    await act.deploy({
      name: 'web',
      image: `${ref('v1')}@${digests.v1}`,
      replicas: 2,
      changeCause: 'deploy v1',
    });
    for (const v of ['v2', 'v3']) {
      await act.setImage('web', `${ref(v)}@${digests[v]}`, `deploy ${v}`);
      await act.waitForRollout('web');
    }
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('lists three revisions oldest first, each with its pinned digest, and the pods of the running one', async () => {
    const result = await runKubefresh(
      ['history', 'deployment/web', '-n', 'pinned', '--kubeconfig', cluster.kubeconfigPath, '-o', 'json'],
      { env: { HOME: '/nonexistent' } },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as HistoryJson;
    expect(doc.kind).toBe('kubefresh.history');
    expect(doc.currentRevision).toBe(3);
    expect(doc.revisions.map((r) => [r.revision, r.changeCause, r.current])).toEqual([
      [1, 'deploy v1', false],
      [2, 'deploy v2', false],
      [3, 'deploy v3', true],
    ]);
    expect(doc.revisions.map((r) => r.containers[0]!.pinned)).toEqual([digests.v1, digests.v2, digests.v3]);
    const running = doc.revisions[2]!.containers[0]!.running;
    expect(running).toHaveLength(1);
    expect(running[0]!.digest).toBe(digests.v3);
    expect(running[0]!.pods).toHaveLength(2);
    expect(doc.revisions[0]!.containers[0]!.running).toEqual([]);
  });

  it('text output marks the running revision and shows short digests', async () => {
    const result = await runKubefresh(
      ['history', 'deploy/web', '-n', 'pinned', '--kubeconfig', cluster.kubeconfigPath],
      { env: { HOME: '/nonexistent' } },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('deployment/web -n pinned: 3 revisions, running revision 3');
    expect(result.stdout).toMatch(/^\*\s+3\s+deploy v3$/m);
    expect(result.stdout).toContain(`pinned  ${digests.v2!.slice(0, 19)}`);
    expect(result.stdout).toMatch(new RegExp(`runs    ${digests.v3!.slice(0, 19)} on 2 pods`));
  });

  it('after undo --to-revision=1 the reused ReplicaSet is revision 4 and remembers it was 1', async () => {
    const prepared = await undoHistory.setup(cluster, { namespace: 'undo' });
    for (const step of prepared.steps) await step.run();
    await waitForExpected(cluster, prepared.namespace, prepared.expected);
    const kube = new HttpKubeClient({ kubeconfig: cluster.kubeconfigPath, env: {} });
    const history = await readHistory(kube, 'undo', 'web');
    expect(history.revisions.map((r) => r.revision)).toEqual([2, 3, 4]);
    const last = history.revisions[2]!;
    expect(last.previousRevisions).toEqual([1]);
    expect(last.current).toBe(true);
    expect(last.changeCause).toBe('deploy v1');
    expect(last.containers[0]!.running.map((r) => r.digest)).toEqual([prepared.images.v1!.digest]);
    expect(last.containers[0]!.pinned).toBeUndefined();
  });

  it('errors name the missing deployment and reject other kinds as usage errors', async () => {
    const missing = await runKubefresh(
      ['history', 'deployment/nope', '-n', 'pinned', '--kubeconfig', cluster.kubeconfigPath],
      { env: { HOME: '/nonexistent' } },
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('error: deployments.apps "nope" not found in namespace "pinned"');
    const wrong = await runKubefresh(['history', 'statefulset/db', '--kubeconfig', cluster.kubeconfigPath]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('expected deployment/NAME, got "statefulset/db"');
  });
});

describe('buildHistory', () => {
  it('groups pods by running digest and reads revision-history', () => {
    const deployment = {
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'ns',
        uid: 'd',
        annotations: { 'deployment.kubernetes.io/revision': '5' },
      },
    };
    const rs = {
      metadata: {
        name: 'web-abc',
        uid: 'r',
        labels: { 'pod-template-hash': 'abc' },
        ownerReferences: [{ kind: 'Deployment', uid: 'd', name: 'web' }],
        annotations: {
          'deployment.kubernetes.io/revision': '5',
          'deployment.kubernetes.io/revision-history': '1,3',
          'kubefresh.io/digests': JSON.stringify({
            podTemplateHash: 'abc',
            containers: { app: `sha256:${'c'.repeat(64)}` },
          }),
        },
      },
      spec: { template: { spec: { containers: [{ name: 'app', image: 'r.io/app:latest' }] } } },
    };
    const pod = (name: string, node: string, digest: string) => ({
      metadata: { name, ownerReferences: [{ kind: 'ReplicaSet', uid: 'r' }] },
      spec: { nodeName: node },
      status: { containerStatuses: [{ name: 'app', imageID: `r.io/app@sha256:${digest.repeat(64)}` }] },
    });
    const history = buildHistory(
      deployment,
      [rs],
      [pod('a', 'n1', 'a'), pod('b', 'n2', 'b'), pod('c', 'n3', 'a')],
    );
    const [revision] = history.revisions;
    expect(revision!.previousRevisions).toEqual([1, 3]);
    expect(revision!.containers[0]!.tag).toBe('latest');
    expect(revision!.containers[0]!.recorded).toBe(`sha256:${'c'.repeat(64)}`);
    const foreign = buildHistory(
      deployment,
      [{ ...rs, metadata: { ...rs.metadata, labels: { 'pod-template-hash': 'other' } } }],
      [],
    );
    expect(foreign.revisions[0]!.containers[0]!.recorded).toBeUndefined();
    expect(revision!.containers[0]!.running.map((r) => [r.digest, r.pods.map((p) => p.name)])).toEqual([
      [`sha256:${'a'.repeat(64)}`, ['a', 'c']],
      [`sha256:${'b'.repeat(64)}`, ['b']],
    ]);
  });
});
