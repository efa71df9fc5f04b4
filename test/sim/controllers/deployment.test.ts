import { afterEach, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './support/cluster.js';
import { addNodes, condition, livePods, replicaSets, revision as rev, rolledOut } from './support/queries.js';

let cluster: TestCluster;
afterEach(() => {
  cluster?.stop();
  expect(cluster?.errors ?? []).toEqual([]);
});

describe('deployment controller: first rollout', () => {
  it('creates <name>-<hash> with revision 1, pods spread over nodes, and reports success', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 3);
    cluster.deployment('web', { replicas: 3, annotations: { 'kubernetes.io/change-cause': 'first' } });
    const d = await rolledOut(cluster, 'web');

    const [rs] = replicaSets(cluster, 'web');
    const hash = rs!.metadata.labels!['pod-template-hash']!;
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'kubernetes.io/change-cause': 'first',
    });
    expect(rs!.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true }),
    ]);
    expect(rev(d)).toBe('1');

    const pods = livePods(cluster, rs!.metadata.name);
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(pod.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    }
    expect(new Set(pods.map((p) => p.spec.nodeName))).toEqual(new Set(['node-1', 'node-2', 'node-3']));

    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
    });
    expect(d.status.unavailableReplicas).toBeUndefined();
    expect(condition(d, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    });
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "web-${hash}" has successfully progressed.`,
    });
    expect(cluster.events('ScalingReplicaSet').map((e) => e.message)).toEqual([
      `Scaled up replica set web-${hash} to 3 from 0`,
    ]);
    expect(cluster.events('SuccessfulCreate')).toHaveLength(3);
    expect(cluster.events('Scheduled')).toHaveLength(3);
  });

  it('re-applying the same template changes nothing', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    cluster.deployment('web', { replicas: 2 });
    await rolledOut(cluster, 'web');
    const before = cluster.store.resourceVersion();
    cluster.updateDeployment('web', (d) => {
      d.spec.template.spec.containers[0].image = 'registry.local/app:v1';
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(replicaSets(cluster, 'web')).toHaveLength(1);
    // Only the update itself was written: no controller reacted with a change.
    expect(Number(cluster.store.resourceVersion())).toBe(Number(before) + 1);
  });
});

describe('deployment controller: rolling update', () => {
  it('keeps within maxSurge/maxUnavailable and scales the old ReplicaSet down', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 3);
    cluster.deployment('web', {
      replicas: 4,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    await rolledOut(cluster, 'web');
    const [old] = replicaSets(cluster, 'web');

    let maxTotal = 0;
    let minAvailable = Number.POSITIVE_INFINITY;
    const watch = cluster.store.watch('replicasets.apps', {}, () => {
      const all = replicaSets(cluster, 'web');
      maxTotal = Math.max(
        maxTotal,
        all.reduce((n, rs) => n + rs.spec.replicas, 0),
      );
      minAvailable = Math.min(
        minAvailable,
        all.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0),
      );
    });
    cluster.updateDeployment('web', (d) => {
      d.spec.template.spec.containers[0].image = 'registry.local/app:v2';
    });
    const d = await rolledOut(cluster, 'web');
    watch.stop();

    const all = replicaSets(cluster, 'web');
    expect(all).toHaveLength(2);
    const [previous, current] = all;
    expect(previous!.metadata.name).toBe(old!.metadata.name);
    expect(previous!.spec.replicas).toBe(0);
    expect(current!.spec.replicas).toBe(4);
    expect(rev(current!)).toBe('2');
    expect(rev(d)).toBe('2');
    expect(maxTotal).toBe(5);
    expect(minAvailable).toBeGreaterThanOrEqual(4);
    expect(livePods(cluster)).toHaveLength(4);
    expect(livePods(cluster).every((p) => p.spec.containers[0].image === 'registry.local/app:v2')).toBe(true);

    const messages = cluster.events('ScalingReplicaSet').map((e) => e.message);
    expect(messages).toContain(`Scaled up replica set ${current!.metadata.name} to 1 from 0`);
    expect(messages).toContain(`Scaled down replica set ${old!.metadata.name} to 3 from 4`);
    expect(messages).toContain(`Scaled down replica set ${old!.metadata.name} to 0 from 1`);
  });

  it('resolves percentages like the real controller (surge rounds up, unavailable down)', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 3);
    cluster.deployment('api', { replicas: 10 });
    await rolledOut(cluster, 'api');
    let maxTotal = 0;
    let minAvailable = Number.POSITIVE_INFINITY;
    const watch = cluster.store.watch('replicasets.apps', {}, () => {
      const all = replicaSets(cluster, 'api');
      maxTotal = Math.max(
        maxTotal,
        all.reduce((n, rs) => n + rs.spec.replicas, 0),
      );
      minAvailable = Math.min(
        minAvailable,
        all.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0),
      );
    });
    cluster.updateDeployment('api', (d) => {
      d.spec.template.spec.containers[0].image = 'registry.local/app:v2';
    });
    await rolledOut(cluster, 'api');
    watch.stop();
    const [, current] = replicaSets(cluster, 'api');
    // 25% of 10: surge ceil(2.5) = 3, unavailable floor(2.5) = 2.
    expect(current!.metadata.annotations!['deployment.kubernetes.io/max-replicas']).toBe('13');
    expect(maxTotal).toBe(13);
    expect(minAvailable).toBeGreaterThanOrEqual(8);
    // The first step creates the new RS at 3 (the surge) and takes the old one down by 2.
    const messages = cluster.events('ScalingReplicaSet').map((e) => e.message);
    expect(messages).toContain(`Scaled up replica set ${current!.metadata.name} to 3 from 0`);
  });

  it('scales proportionally when replicas change', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    cluster.deployment('web', { replicas: 3 });
    const before = await rolledOut(cluster, 'web');
    cluster.updateDeployment('web', (d) => {
      d.spec.replicas = 5;
    });
    const d = await rolledOut(cluster, 'web');
    expect(d.metadata.generation).toBe((before.metadata.generation ?? 1) + 1);
    const [rs] = replicaSets(cluster, 'web');
    expect(rs!.spec.replicas).toBe(5);
    expect(rs!.metadata.annotations!['deployment.kubernetes.io/desired-replicas']).toBe('5');
    expect(cluster.events('ScalingReplicaSet').map((e) => e.message)).toContain(
      `Scaled up replica set ${rs!.metadata.name} to 5 from 3`,
    );
  });
});

describe('deployment controller: proportional scaling', () => {
  it('spreads a resize mid-rollout over the old and new ReplicaSets by their size', async () => {
    cluster = startTestCluster({ ready: (image) => !image.endsWith(':stuck') });
    addNodes(cluster, 2);
    cluster.deployment('web', {
      replicas: 3,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    await rolledOut(cluster, 'web');
    cluster.updateDeployment('web', (d) => {
      d.spec.template.spec.containers[0].image = 'registry.local/app:stuck';
    });
    await cluster.waitFor('stuck at 3 + 1', () => {
      const all = replicaSets(cluster, 'web');
      return all.length === 2 && all[1]!.spec.replicas === 1 && all[0]!.spec.replicas === 3;
    });
    cluster.updateDeployment('web', (d) => {
      d.spec.replicas = 6;
    });
    // Allowed 6 + 1 surge = 7 pods; 3 more go to the RSs by size: 3 × 7/4 → 5, 1 × 7/4 → 2.
    const [old, current] = await cluster.waitFor('scaled', () => {
      const all = replicaSets(cluster, 'web');
      return all[0]!.spec.replicas + all[1]!.spec.replicas === 7 ? all : undefined;
    });
    expect([old!.spec.replicas, current!.spec.replicas]).toEqual([5, 2]);
    expect(old!.metadata.annotations!['deployment.kubernetes.io/desired-replicas']).toBe('6');
    expect(current!.metadata.annotations!['deployment.kubernetes.io/max-replicas']).toBe('7');
  });
});

describe('deployment controller: Recreate', () => {
  it('removes every old pod before the new ReplicaSet starts any', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    cluster.deployment('db', { replicas: 3, strategy: { type: 'Recreate' } });
    await rolledOut(cluster, 'db');
    const [old] = replicaSets(cluster, 'db');
    const overlaps: string[] = [];
    const watch = cluster.store.watch('pods', {}, (event) => {
      if (event.type !== 'ADDED') return;
      const stillThere = cluster
        .list('pods')
        .filter((p) => p.metadata.ownerReferences?.[0]?.name === old!.metadata.name);
      if (stillThere.length > 0) overlaps.push(event.object.metadata.name);
    });
    cluster.updateDeployment('db', (d) => {
      d.spec.template.spec.containers[0].image = 'registry.local/app:v2';
    });
    await rolledOut(cluster, 'db');
    watch.stop();
    expect(overlaps).toEqual([]);
    const [previous, current] = replicaSets(cluster, 'db');
    expect(previous!.spec.replicas).toBe(0);
    expect(current!.spec.replicas).toBe(3);
    expect(current!.metadata.annotations!['deployment.kubernetes.io/max-replicas']).toBe('3');
    const messages = cluster.events('ScalingReplicaSet').map((e) => e.message);
    expect(messages).toContain(`Scaled down replica set ${old!.metadata.name} to 0 from 3`);
    expect(messages).toContain(`Scaled up replica set ${current!.metadata.name} to 3 from 0`);
  });
});
