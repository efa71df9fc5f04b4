import { afterEach, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../controllers/support/cluster.js';
import { createWorkload, isReady, type Json, manifest, podsOf, updateWorkload } from './support.js';

let cluster: TestCluster | undefined;
afterEach(() => {
  cluster?.stop();
  cluster = undefined;
});

function start(ready?: (image: string) => boolean): TestCluster {
  cluster = startTestCluster({ nodes: 2, ...(ready ? { ready } : {}) });
  cluster.node('node-a');
  cluster.node('node-b');
  return cluster;
}

const sts = (c: TestCluster, name = 'db'): Json => c.get('statefulsets.apps', name);

describe('StatefulSet controller', () => {
  it('creates ordinal pods one at a time, each after the previous is Running and Ready', async () => {
    const c = start();
    const order: string[] = [];
    const watch = c.store.watch('pods', {}, (e) => {
      if (e.type === 'ADDED') {
        const readyBefore = podsOf(c.store, 'db')
          .filter(isReady)
          .map((p) => p.metadata.name);
        order.push(`${e.object.metadata.name} after [${readyBefore.join(',')}]`);
      }
    });
    createWorkload(c.store, manifest('StatefulSet', 'db', { replicas: 3 }));
    await c.waitFor('3 ready', () => sts(c)?.status?.readyReplicas === 3);
    watch.stop();
    expect(order).toEqual(['db-0 after []', 'db-1 after [db-0]', 'db-2 after [db-0,db-1]']);
    const pod = podsOf(c.store, 'db')[1];
    const status = sts(c).status;
    expect(pod.metadata.labels).toMatchObject({
      app: 'db',
      'controller-revision-hash': status.updateRevision,
      'statefulset.kubernetes.io/pod-name': 'db-1',
      'apps.kubernetes.io/pod-index': '1',
    });
    expect(pod.spec).toMatchObject({ hostname: 'db-1', subdomain: 'db' });
    expect(pod.metadata.ownerReferences[0]).toMatchObject({
      kind: 'StatefulSet',
      name: 'db',
      controller: true,
    });
    expect(status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
      currentRevision: status.updateRevision,
      collisionCount: 0,
    });
    const revisions = c.list('controllerrevisions.apps') as Json[];
    expect(revisions.map((r) => [r.metadata.name, r.revision])).toEqual([[status.updateRevision, 1]]);
    expect(revisions[0].data.spec.template.$patch).toBe('replace');
  });

  it('rolls pods from the highest ordinal down and makes the new revision current at the end', async () => {
    const c = start();
    createWorkload(c.store, manifest('StatefulSet', 'db', { replicas: 3 }));
    await c.waitFor('3 ready', () => sts(c)?.status?.readyReplicas === 3);
    const before = sts(c).status.currentRevision;
    const replaced: string[] = [];
    const watch = c.store.watch('pods', {}, (e) => {
      if (e.type === 'ADDED') replaced.push(e.object.metadata.name);
    });
    updateWorkload(c.store, 'StatefulSet', 'db', (o) => {
      o.spec.template.spec.containers[0].image = 'registry.local/app:v2';
    });
    await c.waitFor('rolled', () => {
      const s = sts(c).status;
      return s.currentRevision !== before && s.updatedReplicas === 3 && s.readyReplicas === 3 && s;
    });
    watch.stop();
    expect(replaced).toEqual(['db-2', 'db-1', 'db-0']);
    const status = sts(c).status;
    expect(podsOf(c.store, 'db').map((p) => p.spec.containers[0].image)).toEqual(
      Array(3).fill('registry.local/app:v2'),
    );
    expect(
      podsOf(c.store, 'db').every(
        (p) => p.metadata.labels['controller-revision-hash'] === status.updateRevision,
      ),
    ).toBe(true);
    expect((c.list('controllerrevisions.apps') as Json[]).map((r) => r.revision).sort()).toEqual([1, 2]);
  });

  it('leaves ordinals below the partition on the old revision', async () => {
    const c = start();
    createWorkload(
      c.store,
      manifest('StatefulSet', 'db', {
        replicas: 3,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      }),
    );
    await c.waitFor('3 ready', () => sts(c)?.status?.readyReplicas === 3);
    updateWorkload(c.store, 'StatefulSet', 'db', (o) => {
      o.spec.template.spec.containers[0].image = 'registry.local/app:v2';
    });
    await c.waitFor(
      'partition rolled',
      () => sts(c).status.updatedReplicas === 1 && sts(c).status.readyReplicas === 3,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(podsOf(c.store, 'db').map((p) => p.spec.containers[0].image)).toEqual([
      'registry.local/app:v1',
      'registry.local/app:v1',
      'registry.local/app:v2',
    ]);
    const status = sts(c).status;
    expect(status.currentRevision).not.toBe(status.updateRevision);
    expect(status.currentReplicas).toBe(2);
  });

  it('scales down from the highest ordinal and back up', async () => {
    const c = start();
    createWorkload(c.store, manifest('StatefulSet', 'db', { replicas: 3 }));
    await c.waitFor('3 ready', () => sts(c)?.status?.readyReplicas === 3);
    updateWorkload(c.store, 'StatefulSet', 'db', (o) => {
      o.spec.replicas = 1;
    });
    await c.waitFor('1 pod', () => podsOf(c.store, 'db').length === 1 && sts(c).status.replicas === 1);
    expect(podsOf(c.store, 'db').map((p) => p.metadata.name)).toEqual(['db-0']);
    updateWorkload(c.store, 'StatefulSet', 'db', (o) => {
      o.spec.replicas = 2;
    });
    await c.waitFor('2 ready', () => sts(c).status.readyReplicas === 2);
    expect(podsOf(c.store, 'db').map((p) => p.metadata.name)).toEqual(['db-0', 'db-1']);
  });

  it('OrderedReady stops at a pod that never becomes ready; Parallel creates them all', async () => {
    const c = start((image) => !image.includes('broken'));
    createWorkload(
      c.store,
      manifest('StatefulSet', 'bad', { replicas: 3, image: 'registry.local/broken:v1' }),
    );
    createWorkload(
      c.store,
      manifest('StatefulSet', 'par', {
        replicas: 3,
        image: 'registry.local/broken:v1',
        podManagementPolicy: 'Parallel',
      }),
    );
    await c.waitFor('parallel pods', () => podsOf(c.store, 'par').length === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(podsOf(c.store, 'bad').map((p) => p.metadata.name)).toEqual(['bad-0']);
  });

  it('OnDelete replaces a pod with the new revision only when it is deleted', async () => {
    const c = start();
    createWorkload(
      c.store,
      manifest('StatefulSet', 'db', { replicas: 2, updateStrategy: { type: 'OnDelete' } }),
    );
    await c.waitFor('2 ready', () => sts(c)?.status?.readyReplicas === 2);
    updateWorkload(c.store, 'StatefulSet', 'db', (o) => {
      o.spec.template.spec.containers[0].image = 'registry.local/app:v2';
    });
    await c.waitFor('observed', () => sts(c).status.observedGeneration === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(podsOf(c.store, 'db').map((p) => p.spec.containers[0].image)).toEqual(
      Array(2).fill('registry.local/app:v1'),
    );
    c.store.delete('pods', 'default', 'db-0');
    await c.waitFor('db-0 back', () =>
      podsOf(c.store, 'db').find((p) => p.metadata.name === 'db-0' && isReady(p)),
    );
    expect(podsOf(c.store, 'db').map((p) => p.spec.containers[0].image)).toEqual([
      'registry.local/app:v2',
      'registry.local/app:v1',
    ]);
  });
});
