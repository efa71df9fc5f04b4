import { afterEach, describe, expect, it } from 'vitest';
import { POD_TEMPLATE_HASH_LABEL } from '../../../src/sim/controllers/index.js';
import { startTestCluster, type TestCluster } from './support/cluster.js';
import {
  addNodes,
  condition,
  type Loose,
  livePods,
  replicaSets,
  revision,
  rolledOut,
  setImage,
  sleep,
} from './support/queries.js';

let cluster: TestCluster;
afterEach(() => {
  cluster?.stop();
  expect(cluster?.errors ?? []).toEqual([]);
});

/** What `kubectl rollout undo --to-revision=N` sends: the RS template minus pod-template-hash. */
function undoTo(c: TestCluster, name: string, rs: Loose): void {
  const template = structuredClone(rs.spec.template);
  delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  c.updateDeployment(name, (d) => {
    d.spec.template = template;
    d.metadata.annotations = { ...rs.metadata.annotations };
    for (const key of Object.keys(d.metadata.annotations)) {
      if (key.startsWith('deployment.kubernetes.io/')) delete d.metadata.annotations[key];
    }
  });
}

describe('deployment controller: revisions', () => {
  it('rolling back to an old template reuses its ReplicaSet with a new revision and records the history', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    cluster.deployment('web', { replicas: 2, annotations: { 'kubernetes.io/change-cause': 'deploy v1' } });
    await rolledOut(cluster, 'web');
    cluster.updateDeployment('web', (d) => {
      d.spec.template.spec.containers[0].image = 'registry.local/app:v2';
      d.metadata.annotations = { 'kubernetes.io/change-cause': 'deploy v2' };
    });
    await rolledOut(cluster, 'web');
    const [v1, v2] = replicaSets(cluster, 'web');
    expect(revision(v1!)).toBe('1');
    expect(revision(v2!)).toBe('2');
    expect(v1!.metadata.annotations!['kubernetes.io/change-cause']).toBe('deploy v1');
    expect(v2!.metadata.annotations!['kubernetes.io/change-cause']).toBe('deploy v2');

    undoTo(cluster, 'web', v1!);
    const d = await rolledOut(cluster, 'web');
    const all = replicaSets(cluster, 'web');
    expect(all.map((rs) => rs.metadata.name)).toEqual([v2!.metadata.name, v1!.metadata.name]);
    const reused = all[1]!;
    expect(reused.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
      'kubernetes.io/change-cause': 'deploy v1',
    });
    expect(reused.spec.replicas).toBe(2);
    expect(all[0]!.spec.replicas).toBe(0);
    expect(revision(d)).toBe('3');
    expect(livePods(cluster).every((p) => p.spec.containers[0].image === 'registry.local/app:v1')).toBe(true);

    // Back to v2 again: its history grows the same way.
    undoTo(cluster, 'web', replicaSets(cluster, 'web')[0]!);
    await rolledOut(cluster, 'web');
    const again = replicaSets(cluster, 'web');
    expect(again.map(revision)).toEqual(['3', '4']);
    expect(again[1]!.metadata.annotations!['deployment.kubernetes.io/revision-history']).toBe('2');
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets, deleting the oldest', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    cluster.deployment('web', { replicas: 1, revisionHistoryLimit: 1 });
    await rolledOut(cluster, 'web');
    for (const tag of ['v2', 'v3', 'v4']) {
      setImage(cluster, 'web', `registry.local/app:${tag}`);
      await rolledOut(cluster, 'web');
    }
    await cluster.waitFor('history cleaned', () => replicaSets(cluster, 'web').length === 2);
    const left = replicaSets(cluster, 'web');
    expect(left.map(revision)).toEqual(['3', '4']);
    expect(left.map((rs) => rs.spec.template.spec.containers[0].image)).toEqual([
      'registry.local/app:v3',
      'registry.local/app:v4',
    ]);
  });
});

describe('deployment controller: progress deadline', () => {
  it('reports ProgressDeadlineExceeded when new pods never become ready', async () => {
    cluster = startTestCluster({ speed: 200, ready: (image) => !image.endsWith(':broken') });
    addNodes(cluster, 2);
    cluster.deployment('web', { replicas: 2, progressDeadlineSeconds: 3 });
    await rolledOut(cluster, 'web');
    setImage(cluster, 'web', 'registry.local/app:broken');
    const d = await cluster.waitFor('deadline exceeded', () => {
      const d = cluster.get('deployments.apps', 'web');
      return condition(d, 'Progressing')?.reason === 'ProgressDeadlineExceeded' ? (d as Loose) : undefined;
    });
    const [old, current] = replicaSets(cluster, 'web');
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'False',
      message: `ReplicaSet "${current!.metadata.name}" has timed out progressing.`,
    });
    // maxUnavailable 25% of 2 rounds down to 0: the old pods stay, the rollout is stuck.
    expect(old!.spec.replicas).toBe(2);
    expect(current!.spec.replicas).toBe(1);
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 1,
      availableReplicas: 2,
      unavailableReplicas: 1,
    });
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
  });

  it('marks the Deployment unavailable while fewer than replicas - maxUnavailable pods are ready', async () => {
    cluster = startTestCluster({ speed: 200, ready: () => false });
    addNodes(cluster, 1);
    cluster.deployment('web', { replicas: 2, progressDeadlineSeconds: 2 });
    const d = await cluster.waitFor('deadline exceeded', () => {
      const d = cluster.get('deployments.apps', 'web');
      return condition(d, 'Progressing')?.reason === 'ProgressDeadlineExceeded' ? d : undefined;
    });
    expect(condition(d, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
    expect((d as Loose).status.unavailableReplicas).toBe(2);
  });

  it('reports progress as ReplicaSetUpdated while the rollout advances', async () => {
    cluster = startTestCluster({ ready: (image) => !image.endsWith(':slow') });
    addNodes(cluster, 2);
    cluster.deployment('web', {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    await rolledOut(cluster, 'web');
    setImage(cluster, 'web', 'registry.local/app:slow');
    const [, current] = await cluster.waitFor('new RS', () => {
      const all = replicaSets(cluster, 'web');
      return all.length === 2 ? all : undefined;
    });
    const d = await cluster.waitFor('progressing', () => {
      const d = cluster.get('deployments.apps', 'web');
      return condition(d, 'Progressing')?.reason === 'ReplicaSetUpdated' ? d : undefined;
    });
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'True',
      message: `ReplicaSet "${current!.metadata.name}" is progressing.`,
    });
  });
});

describe('deployment controller: pause and resume', () => {
  it('does not roll out while paused and resumes with DeploymentResumed', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    cluster.deployment('web', { replicas: 2 });
    await rolledOut(cluster, 'web');
    cluster.updateDeployment('web', (d) => {
      d.spec.paused = true;
    });
    await cluster.waitFor('paused', () => {
      const d = cluster.get('deployments.apps', 'web');
      return condition(d, 'Progressing')?.reason === 'DeploymentPaused' ? d : undefined;
    });
    expect(condition(cluster.get('deployments.apps', 'web'), 'Progressing')).toMatchObject({
      status: 'Unknown',
      message: 'Deployment is paused',
    });
    setImage(cluster, 'web', 'registry.local/app:v2');
    await sleep(40);
    expect(replicaSets(cluster, 'web')).toHaveLength(1);
    const paused = cluster.get('deployments.apps', 'web') as Loose;
    expect(paused.status.observedGeneration).toBe(paused.metadata.generation);

    const seen: string[] = [];
    const watch = cluster.store.watch('deployments.apps', {}, (e) => {
      const reason = condition(e.object, 'Progressing')?.reason;
      if (reason && seen.at(-1) !== reason) seen.push(reason);
    });
    cluster.updateDeployment('web', (d) => {
      d.spec.paused = false;
    });
    await rolledOut(cluster, 'web');
    watch.stop();
    // The first event is the resume itself, still carrying the paused condition.
    expect(seen.filter((reason) => reason !== 'DeploymentPaused')[0]).toBe('DeploymentResumed');
    expect(seen.at(-1)).toBe('NewReplicaSetAvailable');
    expect(replicaSets(cluster, 'web').map(revision)).toEqual(['1', '2']);
  });
});
