import { afterEach, describe, expect, it } from 'vitest';
import { deleteObject } from '../../../src/sim/controllers/index.js';
import { startTestCluster, type TestCluster } from './support/cluster.js';
import { addNodes, type Loose, livePods, replicaSets, rolledOut } from './support/queries.js';

let cluster: TestCluster;
afterEach(() => {
  cluster?.stop();
  expect(cluster?.errors ?? []).toEqual([]);
});

describe('garbage collector', () => {
  it('background: deleting a Deployment removes its ReplicaSets and then their pods', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    cluster.deployment('web', { replicas: 3 });
    await rolledOut(cluster, 'web');
    cluster.deployment('other', { replicas: 1 });
    await rolledOut(cluster, 'other');

    deleteObject(cluster.store, cluster.clock, 'deployments.apps', 'default', 'web');
    expect(cluster.get('deployments.apps', 'web')).toBeUndefined();
    await cluster.waitFor(
      'dependents gone',
      () => replicaSets(cluster, 'web').length === 0 && cluster.list('pods').length === 1,
    );
    expect(replicaSets(cluster, 'other')).toHaveLength(1);
  });

  it('foreground: the owner stays, with its finalizer, until its dependents are gone', async () => {
    cluster = startTestCluster({ kubelet: false, run: { deployments: false } });
    addNodes(cluster, 1);
    const rs = cluster.store.create('replicasets.apps', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'job', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'job' } },
        template: {
          metadata: { labels: { app: 'job' } },
          spec: { containers: [{ name: 'c', image: 'x:1' }] },
        },
      },
    });
    await cluster.waitFor(
      'bound',
      () => livePods(cluster, 'job').filter((p) => p.spec.nodeName).length === 2,
    );

    deleteObject(cluster.store, cluster.clock, 'replicasets.apps', 'default', 'job', {
      propagationPolicy: 'Foreground',
    });
    await cluster.waitFor('pods terminating', () =>
      cluster.list('pods').every((p) => p.metadata.deletionTimestamp),
    );
    const owner = cluster.get('replicasets.apps', 'job');
    expect(owner?.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(owner?.metadata.deletionTimestamp).toBeDefined();

    // The "kubelet" finishes the pods: only then does the owner go.
    for (const pod of cluster.list('pods')) cluster.store.delete('pods', 'default', pod.metadata.name);
    await cluster.waitFor('owner gone', () => !cluster.get('replicasets.apps', 'job'));
    expect(cluster.store.get('replicasets.apps', 'default', rs.metadata.name)).toBeUndefined();
  });

  it('foreground through two levels: Deployment waits for ReplicaSets, which wait for pods', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    cluster.deployment('web', { replicas: 2 });
    await rolledOut(cluster, 'web');
    const order: string[] = [];
    const watches = ['deployments.apps', 'replicasets.apps', 'pods'].map((resource) =>
      cluster.store.watch(resource, {}, (e) => {
        if (e.type === 'DELETED') order.push(resource);
      }),
    );
    deleteObject(cluster.store, cluster.clock, 'deployments.apps', 'default', 'web', {
      propagationPolicy: 'Foreground',
    });
    await cluster.waitFor('all gone', () => !cluster.get('deployments.apps', 'web'));
    for (const w of watches) w.stop();
    expect(order).toEqual(['pods', 'pods', 'replicasets.apps', 'deployments.apps']);
  });

  it('orphan: dependents stay and lose the owner reference', async () => {
    cluster = startTestCluster({ run: { deployments: false } });
    addNodes(cluster, 1);
    cluster.store.create('replicasets.apps', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'keep', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'keep' } },
        template: {
          metadata: { labels: { app: 'keep' } },
          spec: { containers: [{ name: 'c', image: 'x:1' }] },
        },
      },
    });
    await cluster.waitFor('2 pods', () => livePods(cluster, 'keep').length === 2);
    deleteObject(cluster.store, cluster.clock, 'replicasets.apps', 'default', 'keep', {
      propagationPolicy: 'Orphan',
    });
    await cluster.waitFor('owner gone', () => !cluster.get('replicasets.apps', 'keep'));
    const pods = cluster.list('pods');
    expect(pods).toHaveLength(2);
    expect(pods.every((p) => !p.metadata.ownerReferences && !p.metadata.deletionTimestamp)).toBe(true);
  });

  it('deletes an object created with an owner that does not exist', async () => {
    cluster = startTestCluster({ run: { deployments: false, replicaSets: false } });
    cluster.store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'stray',
        namespace: 'default',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ghost', uid: 'no-such-uid' }],
      },
    });
    await cluster.waitFor('deleted', () => !cluster.get('configmaps', 'stray'));
  });

  it('removes the pods of a deleted node, and their ReplicaSet replaces them elsewhere', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    cluster.deployment('web', { replicas: 2 });
    await rolledOut(cluster, 'web');
    const before = livePods(cluster).map((p) => p.metadata.name);
    cluster.store.delete('nodes', undefined, 'node-1');
    await cluster.waitFor('rescheduled', () => {
      const pods = cluster.list('pods') as Loose[];
      return pods.length === 2 && pods.every((p) => p.spec.nodeName === 'node-2') ? pods : undefined;
    });
    const after = livePods(cluster).map((p) => p.metadata.name);
    expect(after.filter((name) => !before.includes(name))).toHaveLength(1);
  });

  it('a Deployment re-created after an orphaning delete adopts its old ReplicaSet', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    cluster.deployment('web', { replicas: 2 });
    await rolledOut(cluster, 'web');
    const [rs] = replicaSets(cluster, 'web');
    const pods = livePods(cluster)
      .map((p) => p.metadata.name)
      .sort();
    deleteObject(cluster.store, cluster.clock, 'deployments.apps', 'default', 'web', {
      propagationPolicy: 'Orphan',
    });
    await cluster.waitFor('owner gone', () => !cluster.get('deployments.apps', 'web'));
    await cluster.waitFor(
      'orphaned',
      () => !cluster.get('replicasets.apps', rs!.metadata.name)?.metadata.ownerReferences,
    );

    const again = cluster.deployment('web', { replicas: 2 });
    await rolledOut(cluster, 'web');
    const adopted = cluster.get('replicasets.apps', rs!.metadata.name)!;
    expect(adopted.metadata.ownerReferences?.[0]?.uid).toBe(again.metadata.uid);
    expect(cluster.list('replicasets.apps')).toHaveLength(1);
    expect(
      livePods(cluster)
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(pods);
  });
});
