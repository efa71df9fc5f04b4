import { afterEach, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../controllers/support/cluster.js';
import {
  createWorkload,
  isReady,
  type Json,
  manifest,
  podsOf,
  updateWorkload,
} from '../statefulsets/support.js';

let cluster: TestCluster | undefined;
afterEach(() => {
  cluster?.stop();
  cluster = undefined;
});

function start(nodes: string[], ready?: (image: string) => boolean): TestCluster {
  cluster = startTestCluster(ready ? { ready } : {});
  for (const name of nodes) cluster.node(name);
  return cluster;
}

const ds = (c: TestCluster, name = 'agent'): Json => c.get('daemonsets.apps', name);
const nodesOf = (c: TestCluster, app = 'agent') =>
  podsOf(c.store, app)
    .map((p) => p.spec.nodeName)
    .sort();

describe('DaemonSet controller', () => {
  it('runs one pod per node, bound directly, with revision labels and status', async () => {
    const c = start(['node-a', 'node-b', 'node-c']);
    createWorkload(c.store, manifest('DaemonSet', 'agent'));
    await c.waitFor('3 ready', () => ds(c)?.status?.numberReady === 3);
    expect(nodesOf(c)).toEqual(['node-a', 'node-b', 'node-c']);
    const pod = podsOf(c.store, 'agent')[0];
    expect(pod.metadata.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.metadata.labels['pod-template-generation']).toBe('1');
    expect(pod.metadata.ownerReferences[0]).toMatchObject({
      kind: 'DaemonSet',
      name: 'agent',
      controller: true,
    });
    expect(
      pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0],
    ).toEqual({
      matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod.spec.nodeName] }],
    });
    expect(pod.spec.tolerations.map((t: Json) => `${t.key}:${t.effect}`)).toContain(
      'node.kubernetes.io/unschedulable:NoSchedule',
    );
    expect(ds(c).status).toEqual({
      currentNumberScheduled: 3,
      desiredNumberScheduled: 3,
      numberMisscheduled: 0,
      numberReady: 3,
      numberAvailable: 3,
      updatedNumberScheduled: 3,
      observedGeneration: 1,
    });
    const [revision] = c.list('controllerrevisions.apps') as Json[];
    expect(revision.metadata.name).toBe(`agent-${pod.metadata.labels['controller-revision-hash']}`);
    expect(revision.revision).toBe(1);
  });

  it('follows nodeSelector and taints; a cordoned node keeps its daemon pod; new nodes get one', async () => {
    const c = start(['node-a', 'node-b']);
    c.node('tainted', {
      spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
    } as Json);
    createWorkload(c.store, manifest('DaemonSet', 'agent'));
    createWorkload(c.store, manifest('DaemonSet', 'edge', { nodeSelector: { role: 'edge' } }));
    await c.waitFor('agent on 2', () => ds(c)?.status?.numberReady === 2);
    expect(nodesOf(c)).toEqual(['node-a', 'node-b']);
    expect(podsOf(c.store, 'edge')).toEqual([]);
    expect(ds(c, 'edge').status.desiredNumberScheduled).toBe(0);

    const node = structuredClone(c.get('nodes', 'node-b')) as Json;
    node.spec = { unschedulable: true };
    node.metadata.labels.role = 'edge';
    c.store.update('nodes', node);
    c.node('node-c');
    await c.waitFor(
      'edge on b',
      () => ds(c, 'edge').status.numberReady === 1 && ds(c).status.numberReady === 3,
    );
    expect(nodesOf(c)).toEqual(['node-a', 'node-b', 'node-c']);
    expect(nodesOf(c, 'edge')).toEqual(['node-b']);

    const relabel = structuredClone(c.get('nodes', 'node-b')) as Json;
    delete relabel.metadata.labels.role;
    c.store.update('nodes', relabel);
    await c.waitFor(
      'edge gone',
      () => podsOf(c.store, 'edge').length === 0 && ds(c, 'edge').status.desiredNumberScheduled === 0,
    );
  });

  it('rolls out with at most maxUnavailable nodes down and bumps pod-template-generation', async () => {
    const c = start(['n1', 'n2', 'n3', 'n4']);
    createWorkload(c.store, manifest('DaemonSet', 'agent'));
    await c.waitFor('4 ready', () => ds(c)?.status?.numberReady === 4);
    let maxDown = 0;
    const watch = c.store.watch('pods', {}, () => {
      const up = podsOf(c.store, 'agent').filter(isReady).length;
      maxDown = Math.max(maxDown, 4 - up);
    });
    updateWorkload(c.store, 'DaemonSet', 'agent', (o) => {
      o.spec.template.spec.containers[0].image = 'registry.local/app:v2';
    });
    await c.waitFor('rolled', () => {
      const s = ds(c).status;
      return s.observedGeneration === 2 && s.updatedNumberScheduled === 4 && s.numberAvailable === 4;
    });
    watch.stop();
    expect(maxDown).toBe(1);
    const pods = podsOf(c.store, 'agent');
    expect(pods.map((p) => p.spec.containers[0].image)).toEqual(Array(4).fill('registry.local/app:v2'));
    expect(pods.every((p) => p.metadata.labels['pod-template-generation'] === '2')).toBe(true);
    expect((c.list('controllerrevisions.apps') as Json[]).map((r) => r.revision).sort()).toEqual([1, 2]);
  });

  it('keeps rolling past pods of a bad revision only within maxUnavailable', async () => {
    const c = start(['n1', 'n2', 'n3'], (image) => !image.includes('broken'));
    createWorkload(c.store, manifest('DaemonSet', 'agent'));
    await c.waitFor('3 ready', () => ds(c)?.status?.numberReady === 3);
    updateWorkload(c.store, 'DaemonSet', 'agent', (o) => {
      o.spec.template.spec.containers[0].image = 'registry.local/broken:v2';
    });
    await c.waitFor('one broken', () => ds(c).status.updatedNumberScheduled === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(ds(c).status).toMatchObject({ updatedNumberScheduled: 1, numberReady: 2, numberUnavailable: 1 });
  });
});
