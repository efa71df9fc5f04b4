import { afterEach, describe, expect, it } from 'vitest';
import { podsToDelete } from '../../../src/sim/controllers/replicaset/controller.js';
import type { KubeObject } from '../../../src/sim/store/index.js';
import { startTestCluster, type TestCluster } from './support/cluster.js';
import { addNodes, type Loose, livePods } from './support/queries.js';

let cluster: TestCluster;
afterEach(() => {
  cluster?.stop();
  expect(cluster?.errors ?? []).toEqual([]);
});

function createReplicaSet(
  c: TestCluster,
  name: string,
  replicas: number,
  extra: Record<string, unknown> = {},
) {
  return c.store.create('replicasets.apps', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'app', image: 'registry.local/app:v1' }],
          terminationGracePeriodSeconds: 30,
        },
      },
      ...extra,
    },
  });
}

function scaleTo(c: TestCluster, name: string, replicas: number): void {
  const rs = structuredClone(c.get('replicasets.apps', name)!) as Loose;
  rs.spec.replicas = replicas;
  rs.metadata.generation = (rs.metadata.generation ?? 1) + 1;
  c.store.update('replicasets.apps', rs);
}

function status(c: TestCluster, name: string): Record<string, number> {
  return (c.get('replicasets.apps', name) as Loose).status;
}

describe('replicaset controller', () => {
  it('creates owned pods from the template and reports their readiness', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    const rs = createReplicaSet(cluster, 'cache', 3);
    await cluster.waitFor('3 ready', () => status(cluster, 'cache')?.readyReplicas === 3);
    const pods = livePods(cluster, 'cache');
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^cache-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'cache',
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(pod.spec).toMatchObject({
        serviceAccountName: 'default',
        priority: 0,
        enableServiceLinks: true,
      });
      expect(pod.status.qosClass).toBe('BestEffort');
    }
    expect(status(cluster, 'cache')).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
    expect(
      cluster
        .events('SuccessfulCreate')
        .map((e) => e.message)
        .sort(),
    ).toEqual(pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
  });

  it('replaces a deleted pod and deletes the surplus when scaled down', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 2);
    createReplicaSet(cluster, 'cache', 3);
    await cluster.waitFor('3 ready', () => status(cluster, 'cache')?.readyReplicas === 3);
    const [victim] = livePods(cluster, 'cache');
    cluster.store.delete('pods', 'default', victim!.metadata.name);
    await cluster.waitFor('replacement', () => {
      const pods = livePods(cluster, 'cache');
      return pods.length === 3 && !pods.some((p) => p.metadata.name === victim!.metadata.name);
    });

    scaleTo(cluster, 'cache', 1);
    await cluster.waitFor(
      '1 left',
      () => livePods(cluster, 'cache').length === 1 && status(cluster, 'cache').replicas === 1,
    );
    expect(status(cluster, 'cache').observedGeneration).toBe(2);
    expect(cluster.events('SuccessfulDelete')).toHaveLength(2);
    expect(cluster.events('SuccessfulDelete')[0]!.message).toMatch(/^Deleted pod: cache-[a-z0-9]{5}$/);
  });

  it('marks scaled-down pods on nodes for graceful deletion instead of removing them', async () => {
    cluster = startTestCluster({ kubelet: false });
    addNodes(cluster, 1);
    createReplicaSet(cluster, 'cache', 2);
    await cluster.waitFor(
      'bound',
      () =>
        livePods(cluster, 'cache').every((p) => p.spec.nodeName) && livePods(cluster, 'cache').length === 2,
    );
    scaleTo(cluster, 'cache', 1);
    await cluster.waitFor('terminating', () =>
      cluster.list('pods').some((p) => p.metadata.deletionTimestamp),
    );
    const terminating = cluster.list('pods').filter((p) => p.metadata.deletionTimestamp);
    expect(terminating).toHaveLength(1);
    expect(terminating[0]!.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(cluster.list('pods')).toHaveLength(2);
    await cluster.waitFor('status', () => status(cluster, 'cache').replicas === 1);
  });

  it('releases a pod relabelled out of its selector and replaces it; adopts a matching orphan', async () => {
    cluster = startTestCluster();
    addNodes(cluster, 1);
    createReplicaSet(cluster, 'cache', 2);
    await cluster.waitFor('2 ready', () => status(cluster, 'cache')?.readyReplicas === 2);
    const [debug] = livePods(cluster, 'cache');
    const relabelled = structuredClone(debug!);
    relabelled.metadata.labels = { app: 'debugging' };
    cluster.store.update('pods', relabelled);
    await cluster.waitFor(
      'released and replaced',
      () =>
        !cluster.get('pods', debug!.metadata.name)?.metadata.ownerReferences &&
        livePods(cluster, 'cache').length === 2 &&
        status(cluster, 'cache').readyReplicas === 2,
    );
    expect(cluster.get('pods', debug!.metadata.name)?.metadata.ownerReferences).toBeUndefined();

    // Put the label back: the RS adopts it and, now one over, deletes a pod.
    const back = structuredClone(cluster.get('pods', debug!.metadata.name)!);
    back.metadata.labels = { app: 'cache' };
    cluster.store.update('pods', back);
    await cluster.waitFor('adopted and trimmed', () => {
      const owned = cluster.list('pods').filter((p) => p.metadata.ownerReferences?.[0]?.name === 'cache');
      return owned.length === 2 && owned.every((p) => !p.metadata.deletionTimestamp);
    });
  });

  it('counts pods available only after minReadySeconds', async () => {
    cluster = startTestCluster({ speed: 100 });
    addNodes(cluster, 1);
    createReplicaSet(cluster, 'slow', 1, { minReadySeconds: 5 });
    await cluster.waitFor('ready', () => status(cluster, 'slow')?.readyReplicas === 1);
    expect(status(cluster, 'slow').availableReplicas).toBeUndefined();
    await cluster.waitFor('available', () => status(cluster, 'slow')?.availableReplicas === 1);
  });
});

describe('podsToDelete', () => {
  const pod = (name: string, extra: { node?: string; phase?: string; ready?: boolean; created?: string }) =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, creationTimestamp: extra.created ?? '2025-01-01T00:00:00Z' },
      spec: extra.node ? { nodeName: extra.node } : {},
      status: {
        phase: extra.phase ?? 'Running',
        conditions: [{ type: 'Ready', status: extra.ready ? 'True' : 'False' }],
      },
    }) as KubeObject as never;

  it.each([
    [
      'unscheduled before scheduled',
      [pod('a', { node: 'n', ready: true }), pod('b', { phase: 'Pending' })],
      'b',
    ],
    ['pending before running', [pod('a', { node: 'n' }), pod('b', { node: 'n', phase: 'Pending' })], 'b'],
    ['not ready before ready', [pod('a', { node: 'n', ready: true }), pod('b', { node: 'n' })], 'b'],
    [
      'newer before older',
      [
        pod('a', { node: 'n', ready: true, created: '2025-01-01T00:00:00Z' }),
        pod('b', { node: 'n', ready: true, created: '2025-01-02T00:00:00Z' }),
      ],
      'b',
    ],
  ])('%s', (_name, pods, first) => {
    expect(podsToDelete(pods as never, 1).map((p) => p.metadata.name)).toEqual([first]);
  });
});
