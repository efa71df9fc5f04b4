import { afterEach, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './support/cluster.js';
import { condition, type Loose, livePods, sleep } from './support/queries.js';

let cluster: TestCluster;
afterEach(() => {
  cluster?.stop();
  expect(cluster?.errors ?? []).toEqual([]);
});

function pod(c: TestCluster, name: string, spec: Record<string, unknown> = {}) {
  return c.store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'registry.local/app:v1' }], ...spec },
    status: { phase: 'Pending' },
  });
}

function nodeOf(c: TestCluster, name: string): string | undefined {
  return (c.get('pods', name) as Loose | undefined)?.spec.nodeName;
}

function cordon(c: TestCluster, name: string, unschedulable: boolean): void {
  const node = structuredClone(c.get('nodes', name)!) as Loose;
  node.spec = { ...(node.spec ?? {}), unschedulable };
  c.store.update('nodes', node);
}

const run = { deployments: false, garbageCollector: false } as const;

describe('scheduler', () => {
  it('spreads a ReplicaSet over the nodes and records Scheduled events', async () => {
    cluster = startTestCluster({ run });
    for (const name of ['a', 'b', 'c']) cluster.node(name);
    cluster.store.create('replicasets.apps', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 6,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'x:1' }] },
        },
      },
    });
    await cluster.waitFor('all bound', () => {
      const pods = livePods(cluster, 'web');
      return pods.length === 6 && pods.every((p) => p.spec.nodeName);
    });
    const perNode = new Map<string, number>();
    for (const p of livePods(cluster, 'web'))
      perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    expect(Object.fromEntries(perNode)).toEqual({ a: 2, b: 2, c: 2 });
    const [first] = livePods(cluster, 'web');
    expect(cluster.events('Scheduled').map((e) => e.message)).toContain(
      `Successfully assigned default/${first!.metadata.name} to ${first!.spec.nodeName}`,
    );
    expect(condition(cluster.get('pods', first!.metadata.name), 'PodScheduled')?.status).toBe('True');
  });

  it('honours nodeSelector', async () => {
    cluster = startTestCluster({ run });
    cluster.node('amd', { metadata: { name: 'amd', labels: { 'kubernetes.io/arch': 'amd64' } } });
    cluster.node('arm', { metadata: { name: 'arm', labels: { 'kubernetes.io/arch': 'arm64' } } });
    for (let i = 0; i < 4; i++) pod(cluster, `p${i}`, { nodeSelector: { 'kubernetes.io/arch': 'arm64' } });
    await cluster.waitFor('bound', () => [0, 1, 2, 3].every((i) => nodeOf(cluster, `p${i}`)));
    expect([0, 1, 2, 3].map((i) => nodeOf(cluster, `p${i}`))).toEqual(['arm', 'arm', 'arm', 'arm']);
  });

  it('reports FailedScheduling with per-reason counts and retries when a node is uncordoned', async () => {
    cluster = startTestCluster({ run });
    cluster.node('n1', { metadata: { name: 'n1', labels: { disk: 'hdd' } } });
    cluster.node('n2', { metadata: { name: 'n2', labels: { disk: 'ssd' } }, spec: { unschedulable: true } });
    cluster.node('n3', { metadata: { name: 'n3', labels: { disk: 'ssd' } }, spec: { unschedulable: true } });
    pod(cluster, 'db', { nodeSelector: { disk: 'ssd' } });
    const message =
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) were unschedulable. " +
      'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    await cluster.waitFor('failed', () => cluster.events('FailedScheduling').length > 0);
    expect(cluster.events('FailedScheduling')).toEqual([
      { reason: 'FailedScheduling', type: 'Warning', involved: 'db', message },
    ]);
    await cluster.waitFor('condition', () => condition(cluster.get('pods', 'db'), 'PodScheduled'));
    expect(condition(cluster.get('pods', 'db'), 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message,
    });
    expect(nodeOf(cluster, 'db')).toBeUndefined();

    cordon(cluster, 'n3', false);
    await cluster.waitFor('bound after uncordon', () => nodeOf(cluster, 'db'));
    expect(nodeOf(cluster, 'db')).toBe('n3');
  });

  it('does not retry unschedulable pods on node heartbeats', async () => {
    cluster = startTestCluster({ run });
    cluster.node('n1', { metadata: { name: 'n1' }, spec: { unschedulable: true } });
    pod(cluster, 'waiting');
    await cluster.waitFor('failed', () => cluster.events('FailedScheduling').length > 0);
    for (let i = 0; i < 5; i++) {
      const node = structuredClone(cluster.get('nodes', 'n1')!) as Loose;
      node.status = { ...node.status, heartbeat: i };
      cluster.store.update('nodes', node);
      await sleep(2);
    }
    const [event] = cluster.store.list('events').items.filter((e) => e.reason === 'FailedScheduling');
    expect(event?.count).toBe(1);
    cordon(cluster, 'n1', false);
    await cluster.waitFor('bound', () => nodeOf(cluster, 'waiting'));
  });

  it('keeps pods off tainted and not-ready nodes unless they tolerate it', async () => {
    cluster = startTestCluster({ run });
    cluster.node('gpu', {
      metadata: { name: 'gpu' },
      spec: { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] },
    });
    cluster.node('down', {
      metadata: { name: 'down' },
      status: { conditions: [{ type: 'Ready', status: 'False' }] },
    });
    pod(cluster, 'plain');
    pod(cluster, 'tolerant', {
      tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
    });
    await cluster.waitFor('tolerant bound', () => nodeOf(cluster, 'tolerant'));
    expect(nodeOf(cluster, 'tolerant')).toBe('gpu');
    await cluster.waitFor('plain failed', () => cluster.events('FailedScheduling').length > 0);
    await sleep(10);
    expect(nodeOf(cluster, 'plain')).toBeUndefined();
    expect(cluster.events('FailedScheduling')[0]!.message).toBe(
      '0/2 nodes are available: 1 node(s) had untolerated taint {gpu: true}, ' +
        '1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. ' +
        'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
  });

  it('says no nodes are available on an empty cluster, then binds when a node joins', async () => {
    cluster = startTestCluster({ run });
    pod(cluster, 'early');
    await cluster.waitFor('failed', () => cluster.events('FailedScheduling').length > 0);
    expect(cluster.events('FailedScheduling')[0]!.message).toBe('no nodes available to schedule pods');
    cluster.node('late');
    await cluster.waitFor('bound', () => nodeOf(cluster, 'early'));
  });
});
