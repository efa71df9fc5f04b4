import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../../src/sim/apiserver/index.js';
import { ScaledClock } from '../../../src/sim/clock.js';
import { type KubeObject, ObjectStore } from '../../../src/sim/store/index.js';
import { type SimApi, startSimApi } from './fixtures.js';

let sim: SimApi;
beforeAll(async () => {
  sim = await startSimApi({
    bookmarkIntervalMs: 200,
    logSource: (_ns, pod, container, o) =>
      pod === 'gone'
        ? { notFound: `previous terminated container "${container}" in pod "${pod}" not found` }
        : `a\nb\nc ${container} ${o.previous}\n`,
  });
});
afterAll(() => sim.api.close());
afterEach(() => sim.api.setFaults({}));

interface Reply {
  status: number;
  body: Record<string, unknown>;
  type: string;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(sim.api.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, type: res.headers.get('content-type') ?? '' };
}

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'x' } },
  spec: { containers: [{ name: 'c', image: 'app:1' }], ...extra },
});

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'app:1' }] } },
  },
});

/** Opens a watch and collects events until `count` arrived or the stream ended. */
async function watchEvents(
  path: string,
  count: number,
  act?: () => Promise<void>,
): Promise<{ type: string; object: KubeObject }[]> {
  const controller = new AbortController();
  const res = await fetch(sim.api.url + path, { signal: controller.signal });
  const events: { type: string; object: KubeObject }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const actDone = act?.();
  const timer = setTimeout(() => controller.abort(), 5_000);
  try {
    while (events.length < count) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        events.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
      }
    }
  } catch {
    // aborted
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  await actDone;
  return events;
}

describe('discovery and version', () => {
  it('reports a K3s version and legacy discovery with short names and categories', async () => {
    expect((await call('GET', '/version')).body).toMatchObject({
      major: '1',
      minor: '32',
      gitVersion: 'v1.32.5+k3s1',
      platform: 'linux/amd64',
    });
    const core = (await call('GET', '/api/v1')).body as {
      resources: { name: string; shortNames?: string[]; categories?: string[]; verbs: string[] }[];
    };
    const pods = core.resources.find((r) => r.name === 'pods')!;
    expect(pods).toMatchObject({ shortNames: ['po'], categories: ['all'] });
    expect(pods.verbs).toContain('watch');
    expect(core.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'pods/log',
        'pods/status',
        'nodes',
        'namespaces',
        'events',
        'configmaps',
        'secrets',
        'serviceaccounts',
      ]),
    );
    const apps = (await call('GET', '/apis/apps/v1')).body as { resources: Record<string, unknown>[] };
    expect(apps.resources).toContainEqual(
      expect.objectContaining({
        name: 'deployments/scale',
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
      }),
    );
  });

  it('answers aggregated discovery requests with the plain group list', async () => {
    const reply = await call('GET', '/apis', undefined, {
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(reply.type).toBe('application/json');
    expect(reply.body.kind).toBe('APIGroupList');
    expect((reply.body.groups as { name: string }[]).map((g) => g.name)).toEqual(['apps', 'events.k8s.io']);
  });

  it('starts with the four K3s namespaces, each with a default ServiceAccount', async () => {
    const list = (await call('GET', '/api/v1/namespaces')).body as { items: KubeObject[] };
    expect(list.items.map((n) => n.metadata.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    expect((await call('GET', '/api/v1/namespaces/kube-system/serviceaccounts/default')).status).toBe(200);
  });
});

describe('objects', () => {
  it('answers missing objects, duplicates and unknown namespaces with the real Status', async () => {
    expect((await call('GET', '/api/v1/namespaces/default/pods/nope')).body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    expect((await call('GET', '/apis/apps/v1/namespaces/default/deployments/nope')).body.message).toBe(
      'deployments.apps "nope" not found',
    );
    expect((await call('POST', '/api/v1/namespaces/default/pods', pod('dup'))).status).toBe(201);
    const dup = await call('POST', '/api/v1/namespaces/default/pods', pod('dup'));
    expect([dup.status, dup.body.reason, dup.body.message]).toEqual([
      409,
      'AlreadyExists',
      'pods "dup" already exists',
    ]);
    const nsMissing = await call('POST', '/api/v1/namespaces/ghost/pods', pod('p'));
    expect([nsMissing.status, nsMissing.body.message]).toEqual([404, 'namespaces "ghost" not found']);
  });

  it('validates with the real Invalid messages and causes', async () => {
    const reply = await call('POST', '/api/v1/namespaces/default/pods', {
      ...pod('bad'),
      spec: { containers: [{ name: 'c', image: ' nginx' }, { name: 'd' }] },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.message).toBe(
      'Pod "bad" is invalid: [spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace, spec.containers[1].image: Required value]',
    );
    expect((reply.body.details as { causes: unknown[] }).causes).toContainEqual({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: 'spec.containers[1].image',
    });
    const noContainers = await call('POST', '/api/v1/namespaces/default/pods', { ...pod('empty'), spec: {} });
    expect(noContainers.body.message).toBe('Pod "empty" is invalid: spec.containers: Required value');
  });

  it('creates with generateName and stores nothing on dryRun=All', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/pods', {
      ...pod(''),
      metadata: { generateName: 'gen-' },
    });
    expect((created.body.metadata as { name: string }).name).toMatch(/^gen-[a-z0-9]{5}$/);
    const dry = await call('POST', '/api/v1/namespaces/default/pods?dryRun=All', pod('dry'));
    expect(dry.status).toBe(201);
    expect(sim.store.get('pods', 'default', 'dry')).toBeUndefined();
  });

  it('bumps generation on spec changes only, and protects status from the main resource', async () => {
    const created = (await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('gen')))
      .body as KubeObject;
    expect(created.metadata.generation).toBe(1);
    const statusWrite = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/gen/status', {
      ...created,
      status: { replicas: 3 },
    });
    expect((statusWrite.body.metadata as { generation: number }).generation).toBe(1);
    expect(statusWrite.body.status).toEqual({ replicas: 3 });
    const patched = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/gen',
      { metadata: { labels: { a: 'b' } }, status: { replicas: 9 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect((patched.body.metadata as { generation: number }).generation).toBe(1);
    expect(patched.body.status).toEqual({ replicas: 3 });
    const specPatch = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/gen',
      { spec: { replicas: 4 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect((specPatch.body.metadata as { generation: number }).generation).toBe(2);
  });

  it('rejects stale updates with 409 Conflict and selector changes as immutable', async () => {
    const created = (await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('occ')))
      .body as KubeObject;
    await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/occ',
      { spec: { replicas: 2 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    const stale = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/occ', created);
    expect([stale.status, stale.body.reason, stale.body.message]).toEqual([
      409,
      'Conflict',
      'Operation cannot be fulfilled on deployments.apps "occ": the object has been modified; please apply your changes to the latest version and try again',
    ]);
    const immutable = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/occ',
      {
        spec: {
          selector: { matchLabels: { app: 'other' } },
          template: { metadata: { labels: { app: 'other' } } },
        },
      },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    expect(immutable.status).toBe(422);
    expect(immutable.body.message).toContain(
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it('refuses server-side apply and unknown media types with 415, protobuf-only Accept with 406', async () => {
    const apply = await call('PATCH', '/api/v1/namespaces/default/pods/dup', 'kind: Pod', {
      'content-type': 'application/apply-patch+yaml',
    });
    expect([apply.status, apply.body.reason]).toEqual([415, 'UnsupportedMediaType']);
    const proto = await call('GET', '/api/v1/namespaces/default/pods', undefined, {
      accept: 'application/vnd.kubernetes.protobuf',
    });
    expect([proto.status, proto.body.reason]).toEqual([406, 'NotAcceptable']);
  });

  it('serves the scale subresource as autoscaling/v1 Scale', async () => {
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('sc'));
    const scale = await call('GET', '/apis/apps/v1/namespaces/default/deployments/sc/scale');
    expect(scale.body).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { replicas: 0, selector: 'app=sc' },
    });
    await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/sc/scale',
      { spec: { replicas: 7 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect((sim.store.get('deployments.apps', 'default', 'sc')!.spec as { replicas: number }).replicas).toBe(
      7,
    );
  });

  it('pages lists with limit and continue', async () => {
    for (const name of ['pg-a', 'pg-b', 'pg-c'])
      await call('POST', '/api/v1/namespaces/default/configmaps', {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name, labels: { pg: 'y' } },
      });
    const first = (await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=pg%3Dy&limit=2'))
      .body as { items: KubeObject[]; metadata: { continue: string; remainingItemCount: number } };
    expect(first.items.map((i) => i.metadata.name)).toEqual(['pg-a', 'pg-b']);
    expect(first.metadata.remainingItemCount).toBe(1);
    const second = (
      await call(
        'GET',
        `/api/v1/namespaces/default/configmaps?labelSelector=pg%3Dy&limit=2&continue=${encodeURIComponent(first.metadata.continue)}`,
      )
    ).body as { items: KubeObject[]; metadata: Record<string, unknown> };
    expect(second.items.map((i) => i.metadata.name)).toEqual(['pg-c']);
    expect(second.metadata.continue).toBeUndefined();
  });

  it('serves events.k8s.io/v1 Events converted from the stored core ones', async () => {
    await call('POST', '/api/v1/namespaces/default/events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'ev1' },
      involvedObject: { kind: 'Pod', name: 'dup', namespace: 'default' },
      reason: 'Pulled',
      message: 'Container image "app:1" already present on machine',
      type: 'Normal',
      count: 2,
    });
    const v1 = (await call('GET', '/apis/events.k8s.io/v1/namespaces/default/events/ev1')).body;
    expect(v1).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      regarding: { name: 'dup' },
      note: 'Container image "app:1" already present on machine',
      deprecatedCount: 2,
    });
  });

  it('answers Table requests with the printer columns', async () => {
    const table = (
      await call('GET', '/api/v1/namespaces/default/pods/dup', undefined, {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      })
    ).body as {
      kind: string;
      columnDefinitions: { name: string; priority: number }[];
      rows: { cells: unknown[]; object: { kind: string } }[];
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    expect(table.rows[0]!.cells.slice(0, 4)).toEqual(['dup', '0/1', 'Pending', '0']);
    expect(table.rows[0]!.object.kind).toBe('PartialObjectMetadata');
  });
});

describe('deletion', () => {
  it('marks pods bound to a node and removes unbound or forced ones at once', async () => {
    await call(
      'POST',
      '/api/v1/namespaces/default/pods',
      pod('bound', { nodeName: 'agent-1', terminationGracePeriodSeconds: 45 }),
    );
    const marked = await call('DELETE', '/api/v1/namespaces/default/pods/bound');
    expect(marked.status).toBe(200);
    expect(marked.body.metadata).toMatchObject({ deletionGracePeriodSeconds: 45 });
    expect(sim.store.get('pods', 'default', 'bound')!.metadata.deletionTimestamp).toBeDefined();
    // writes to a terminating pod keep it for its kubelet to remove
    await call(
      'PATCH',
      '/api/v1/namespaces/default/pods/bound',
      { metadata: { labels: { seen: 'yes' } } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(sim.store.get('pods', 'default', 'bound')!.metadata.labels).toMatchObject({ seen: 'yes' });
    await call('DELETE', '/api/v1/namespaces/default/pods/bound', {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      gracePeriodSeconds: 0,
    });
    expect(sim.store.get('pods', 'default', 'bound')).toBeUndefined();
    await call('POST', '/api/v1/namespaces/default/pods', pod('unbound'));
    expect((await call('DELETE', '/api/v1/namespaces/default/pods/unbound')).body.kind).toBe('Pod');
    expect(sim.store.get('pods', 'default', 'unbound')).toBeUndefined();
  });

  it('keeps foreground deletions until the finalizer is removed, then deletes', async () => {
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('fg'));
    await call('DELETE', '/apis/apps/v1/namespaces/default/deployments/fg?propagationPolicy=Foreground');
    const pending = sim.store.get('deployments.apps', 'default', 'fg')!;
    expect(pending.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(pending.metadata.deletionTimestamp).toBeDefined();
    await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/fg',
      { metadata: { finalizers: null } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(sim.store.get('deployments.apps', 'default', 'fg')).toBeUndefined();
  });

  it('orphans dependents by stripping their ownerReferences', async () => {
    const owner = (await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('own')))
      .body as KubeObject;
    sim.store.create('replicasets.apps', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'own-1',
        namespace: 'default',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'own',
            uid: owner.metadata.uid!,
            controller: true,
          },
        ],
      },
    });
    const reply = await call('DELETE', '/apis/apps/v1/namespaces/default/deployments/own', {
      propagationPolicy: 'Orphan',
    });
    expect(reply.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'own', group: 'apps', kind: 'deployments', uid: owner.metadata.uid },
    });
    expect(sim.store.get('replicasets.apps', 'default', 'own-1')!.metadata.ownerReferences).toBeUndefined();
  });

  it('refuses to delete the default namespace', async () => {
    const reply = await call('DELETE', '/api/v1/namespaces/default');
    expect([reply.status, reply.body.message]).toEqual([
      403,
      'namespaces "default" is forbidden: this namespace may not be deleted',
    ]);
  });
});

describe('watch', () => {
  it('lists current objects as ADDED, then streams changes, with DELETED when a selector stops matching', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'w1', labels: { w: 'y' } },
    });
    const events = await watchEvents(
      '/api/v1/namespaces/default/configmaps?watch=1&labelSelector=w%3Dy',
      3,
      async () => {
        await new Promise((r) => setTimeout(r, 50));
        await call(
          'PATCH',
          '/api/v1/namespaces/default/configmaps/w1',
          { data: { a: '1' } },
          { 'content-type': 'application/merge-patch+json' },
        );
        await call(
          'PATCH',
          '/api/v1/namespaces/default/configmaps/w1',
          { metadata: { labels: { w: 'n' } } },
          { 'content-type': 'application/merge-patch+json' },
        );
      },
    );
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED w1',
      'MODIFIED w1',
      'DELETED w1',
    ]);
  });

  it('resumes from a resourceVersion, sends bookmarks, and watches by metadata.name', async () => {
    const created = (await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('wr')))
      .body as KubeObject;
    const rv = created.metadata.resourceVersion!;
    await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/wr',
      { spec: { replicas: 3 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('other'));
    const events = await watchEvents(
      `/apis/apps/v1/namespaces/default/deployments?watch=true&fieldSelector=metadata.name%3Dwr&resourceVersion=${rv}&allowWatchBookmarks=true`,
      2,
    );
    expect(events[0]).toMatchObject({
      type: 'MODIFIED',
      object: { metadata: { name: 'wr' }, spec: { replicas: 3 } },
    });
    expect(events[1]).toMatchObject({
      type: 'BOOKMARK',
      object: { kind: 'Deployment', apiVersion: 'apps/v1' },
    });
  });

  it('reports a too old resourceVersion as an ERROR event with 410 Expired', async () => {
    const clock = new ScaledClock(1);
    const store = new ObjectStore(clock, 3);
    const api = await startApiServer({ store, clock });
    try {
      for (let i = 0; i < 6; i++)
        store.create('configmaps', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `c${i}`, namespace: 'default' },
        });
      const res = await fetch(`${api.url}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=2`);
      expect(res.status).toBe(200);
      const line = JSON.parse((await res.text()).trim());
      expect(line).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
      expect(line.object.message).toMatch(/^too old resource version: 2 \(\d+\)$/);
    } finally {
      await api.close();
    }
  });

  it('ends a watch at timeoutSeconds', async () => {
    const started = Date.now();
    const res = await fetch(`${sim.api.url}/api/v1/nodes?watch=1&timeoutSeconds=1`);
    await res.text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe('faults', () => {
  it('injects 500s and write conflicts, set through the admin endpoint and cleared with DELETE', async () => {
    expect((await call('PUT', '/_sim/faults', { errorRate: 1 })).body).toEqual({ errorRate: 1 });
    const broken = await call('GET', '/api/v1/namespaces');
    expect([broken.status, broken.body.reason]).toEqual([500, 'InternalError']);
    expect((await call('GET', '/version')).status).toBe(200);
    await call('PUT', '/_sim/faults', { conflictRate: 1 });
    expect((await call('GET', '/api/v1/namespaces')).status).toBe(200);
    const conflict = await call(
      'PATCH',
      '/api/v1/namespaces/default/pods/dup',
      { metadata: { labels: { a: 'b' } } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect([conflict.status, conflict.body.reason]).toEqual([409, 'Conflict']);
    await call('DELETE', '/_sim/faults');
    expect(sim.api.faults()).toEqual({});
    const bad = await call('PUT', '/_sim/faults', { errorRate: 3 });
    expect([bad.status, bad.body.message]).toEqual([
      400,
      'fault "errorRate" is a probability from 0 to 1, got 3',
    ]);
  });

  it('drops open watches and forces 410 on resumed ones', async () => {
    const ended = watchEvents('/api/v1/nodes?watch=1', 10);
    await new Promise((r) => setTimeout(r, 100));
    expect((await call('POST', '/_sim/faults/drop-watches')).body).toEqual({ dropped: 1 });
    expect(await ended).toEqual([]);
    sim.api.setFaults({ goneRate: 1 });
    const events = await watchEvents(
      `/api/v1/nodes?watch=1&resourceVersion=${sim.store.resourceVersion()}`,
      1,
    );
    expect(events[0]).toMatchObject({ type: 'ERROR', object: { code: 410 } });
  });
});

describe('pod logs', () => {
  it('asks the log source and trims to tailLines', async () => {
    const res = await fetch(
      `${sim.api.url}/api/v1/namespaces/default/pods/dup/log?tailLines=1&previous=true`,
    );
    expect([res.status, await res.text()]).toEqual([200, 'c c true\n']);
  });

  it('answers the source not-found reason and ambiguous containers with 400', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', pod('gone'));
    const gone = await call('GET', '/api/v1/namespaces/default/pods/gone/log');
    expect([gone.status, gone.body.message]).toEqual([
      400,
      'previous terminated container "c" in pod "gone" not found',
    ]);
    await call('POST', '/api/v1/namespaces/default/pods', {
      ...pod('two'),
      spec: {
        containers: [
          { name: 'a', image: 'x:1' },
          { name: 'b', image: 'x:1' },
        ],
      },
    });
    const two = await call('GET', '/api/v1/namespaces/default/pods/two/log');
    expect(two.body.message).toBe('a container name must be specified for pod two, choose one of: [a b]');
  });
});
