import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKubeClient, translateKubeError } from '../../../src/adapters/kube/index.js';
import { isKubefreshError, type KubefreshError } from '../../../src/errors/index.js';
import type { KubeObject, WatchEvent } from '../../../src/ports/kube.js';
import { kubeconfigYaml } from '../../../src/sim/apiserver/index.js';
import type { KubeObject as StoreObject } from '../../../src/sim/store/index.js';
import { k3sNode, runningPod, type SimApi, startSimApi } from '../../sim/apiserver/fixtures.js';

const SECRET_TOKEN = 'sekrit-token-value-0123456789';

function kubeconfigFile(server: string, extra: { namespace?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubefresh-kube-'));
  const path = join(dir, 'config');
  writeFileSync(path, kubeconfigYaml({ server, token: SECRET_TOKEN, name: 'sim', ...extra }));
  return path;
}

async function failure(promise: Promise<unknown>): Promise<KubefreshError> {
  try {
    await promise;
  } catch (error) {
    if (isKubefreshError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

function deploymentObject(name: string, labels: Record<string, string> = {}): StoreObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'app:v1' }] },
      },
    },
  };
}

describe('HttpKubeClient against the simulated API server', () => {
  let sim: SimApi;
  let client: HttpKubeClient;
  const requests: string[] = [];

  beforeAll(async () => {
    sim = await startSimApi({
      logSource: (_ns, _pod, _container, options) =>
        options.previous ? 'old line 1\nold line 2\nold line 3\n' : 'current\n',
    });
    sim.store.create('nodes', k3sNode('server-0', '10.0.0.10', { server: true }));
    sim.store.create(
      'pods',
      runningPod('web-1', 'server-0', 'app:v1', `docker.io/library/app@sha256:${'a'.repeat(64)}`, {
        app: 'web',
      }),
    );
    sim.store.create(
      'pods',
      runningPod('db-1', 'server-0', 'db:v1', `docker.io/library/db@sha256:${'b'.repeat(64)}`, { app: 'db' }),
    );
    client = new HttpKubeClient({
      kubeconfig: kubeconfigFile(sim.api.url),
      onRequest: (method, path) => requests.push(`${method} ${path}`),
    });
  });

  afterAll(async () => {
    await sim.api.close();
  });

  it('reads context, server and default namespace from the kubeconfig', () => {
    expect(client.context).toBe('sim');
    expect(client.server).toBe(sim.api.url);
    expect(client.defaultNamespace).toBe('default');
  });

  it('lists across namespaces and by label selector, with kind on every item', async () => {
    const all = await client.list('pods');
    expect(all.items.map((p) => p.metadata?.name).sort()).toEqual(['db-1', 'web-1']);
    expect(all.items[0]!.kind).toBe('Pod');
    expect(all.resourceVersion).not.toBe('');
    const web = await client.list('pods', { namespace: 'default', labelSelector: 'app=web' });
    expect(web.items.map((p) => p.metadata?.name)).toEqual(['web-1']);
    const nodes = await client.list('nodes');
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['server-0']);
  });

  it('gets one object, and a missing one is KUBE_NOT_FOUND with the server message', async () => {
    sim.store.create('deployments.apps', deploymentObject('web'));
    const got = await client.get('deployments', 'default', 'web');
    expect(got.metadata?.name).toBe('web');
    const error = await failure(client.get('deployments', 'default', 'nope'));
    expect(error.code).toBe('KUBE_NOT_FOUND');
    expect(error.message).toBe('deployments.apps "nope" not found');
  });

  it('patches with strategic merge, JSON merge and JSON patch', async () => {
    sim.store.create('deployments.apps', deploymentObject('patchme'));
    await client.patch(
      'deployments',
      'default',
      'patchme',
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:v2' }] } } } },
      'strategic',
    );
    let got = await client.get<
      KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } }
    >('deployments', 'default', 'patchme');
    expect(got.spec.template.spec.containers[0]!.image).toBe('app:v2');
    await client.patch('deployments', 'default', 'patchme', { metadata: { labels: { tier: 'x' } } }, 'merge');
    await client.patch(
      'deployments',
      'default',
      'patchme',
      [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'app:v3' }],
      'json',
    );
    got = await client.get('deployments', 'default', 'patchme');
    expect(got.metadata?.labels).toEqual({ tier: 'x' });
    expect(got.spec.template.spec.containers[0]!.image).toBe('app:v3');
  });

  it('reads pod logs with previous and tailLines', async () => {
    expect(await client.podLogs('default', 'web-1', { container: 'app' })).toBe('current\n');
    const previous = await client.podLogs('default', 'web-1', {
      container: 'app',
      previous: true,
      tailLines: 2,
    });
    expect(previous.trim().split('\n')).toEqual(['old line 2', 'old line 3']);
  });

  it('watches from a fresh list, then delivers changes, and resumes after the server drops the stream', async () => {
    const events: WatchEvent<KubeObject>[] = [];
    const controller = new AbortController();
    const done = client.watch(
      'pods',
      { namespace: 'default', labelSelector: 'app=w', signal: controller.signal },
      (e) => events.push(e),
    );
    await until(() => events.length >= 1);
    expect(events[0]).toEqual({ type: 'RESYNC', objects: [] });
    sim.store.create('pods', runningPod('w-1', 'server-0', 'app:v1', '', { app: 'w' }));
    await until(() => events.some((e) => e.type === 'ADDED'));
    sim.api.dropWatches();
    await new Promise((r) => setTimeout(r, 50));
    sim.store.create('pods', runningPod('w-2', 'server-0', 'app:v1', '', { app: 'w' }));
    await until(() => events.filter((e) => e.type === 'ADDED').length === 2);
    controller.abort();
    await done;
    expect(
      events
        .filter((e) => e.type === 'ADDED')
        .map((e) => (e as { object: KubeObject }).object.metadata?.name),
    ).toEqual(['w-1', 'w-2']);
  });

  it('re-lists (RESYNC) when a resumed watch gets 410 Gone', async () => {
    const events: WatchEvent<KubeObject>[] = [];
    const controller = new AbortController();
    sim.store.create('pods', runningPod('g-1', 'server-0', 'app:v1', '', { app: 'g' }));
    const list = await client.list('pods', { namespace: 'default', labelSelector: 'app=g' });
    // Created after the list the watch resumes from: only a fresh list can include it.
    sim.store.create('pods', runningPod('g-2', 'server-0', 'app:v1', '', { app: 'g' }));
    sim.api.setFaults({ goneRate: 1 });
    const done = client.watch(
      'pods',
      {
        namespace: 'default',
        labelSelector: 'app=g',
        resourceVersion: list.resourceVersion,
        signal: controller.signal,
      },
      (e) => events.push(e),
    );
    await until(() => events.some((e) => e.type === 'RESYNC'));
    sim.api.setFaults({});
    controller.abort();
    await done;
    // The re-list replaces what was seen with the pods the selector matches now.
    expect(list.items.map((o) => o.metadata?.name)).toEqual(['g-1']);
    const resync = events.find((e) => e.type === 'RESYNC') as { objects: readonly KubeObject[] };
    expect(resync.objects.map((o) => o.metadata?.name).sort()).toEqual(['g-1', 'g-2']);
  });

  it('turns 500s into KUBE_SERVER_ERROR without headers or tokens', async () => {
    sim.api.setFaults({ errorRate: 1 });
    try {
      const error = await failure(client.list('pods'));
      expect(error.code).toBe('KUBE_SERVER_ERROR');
      expect(error.message).toMatch(/^the API server failed \(HTTP 500\): /);
      expect(JSON.stringify(error.toJSON())).not.toContain(SECRET_TOKEN);
    } finally {
      sim.api.setFaults({});
    }
  });

  it('times out with KUBE_TIMEOUT under --request-timeout', async () => {
    const slow = new HttpKubeClient({ kubeconfig: kubeconfigFile(sim.api.url), requestTimeoutMs: 50 });
    sim.api.setFaults({ latencyMs: 400 });
    try {
      const error = await failure(slow.list('pods'));
      expect(error.code).toBe('KUBE_TIMEOUT');
      expect(error.hint).toContain('--request-timeout');
    } finally {
      sim.api.setFaults({});
    }
  });

  it('counts one request per list whatever the number of objects', async () => {
    requests.length = 0;
    await client.list('pods');
    await client.list('nodes');
    expect(requests).toEqual(['GET /api/v1/pods', 'GET /api/v1/nodes']);
  });
});

describe('HttpKubeClient errors without the sim', () => {
  it('a refused connection is KUBE_UNREACHABLE in kubectl words, with a hint', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const client = new HttpKubeClient({ kubeconfig: kubeconfigFile(`http://127.0.0.1:${port}`) });
    const error = await failure(client.list('pods'));
    expect(error.code).toBe('KUBE_UNREACHABLE');
    expect(error.message).toBe(
      `The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`,
    );
    expect(error.hint).toBe('is the cluster reachable? check --context, --kubeconfig and KUBECONFIG');
  });

  it.each([
    [401, 'Unauthorized', 'KUBE_UNAUTHORIZED', 'You must be logged in to the server (Unauthorized)'],
    [
      403,
      'secrets is forbidden: User "dev" cannot list resource "secrets"',
      'KUBE_FORBIDDEN',
      'secrets is forbidden: User "dev" cannot list resource "secrets"',
    ],
    [409, 'Operation cannot be fulfilled', 'KUBE_CONFLICT', 'Operation cannot be fulfilled'],
  ])('HTTP %i → %s', async (status, message, code, text) => {
    const server = createServer((req, res) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'www-authenticate': `Bearer ${SECRET_TOKEN}`,
      });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message,
          reason: 'X',
          code: status,
          echoed: req.headers.authorization,
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = new HttpKubeClient({
        kubeconfig: kubeconfigFile(`http://127.0.0.1:${(server.address() as { port: number }).port}`),
      });
      const error = await failure(client.list('secrets', { namespace: 'default' }));
      expect(error.code).toBe(code);
      expect(error.message).toBe(text);
      expect(JSON.stringify({ ...error.toJSON(), hint: error.hint })).not.toContain(SECRET_TOKEN);
    } finally {
      server.close();
    }
  });

  it('a missing kubeconfig and an unknown context are clear CONFIG errors', () => {
    expect(() => new HttpKubeClient({ kubeconfig: '/nonexistent/kubeconfig' })).toThrow(
      /no kubeconfig found \(looked at \/nonexistent\/kubeconfig\)/,
    );
    const path = kubeconfigFile('http://127.0.0.1:1');
    expect(() => new HttpKubeClient({ kubeconfig: path, context: 'prod' })).toThrow(
      'context "prod" is not in the kubeconfig',
    );
    const fromEnv = new HttpKubeClient({ env: { KUBECONFIG: `/nonexistent:${path}` } });
    expect(fromEnv.context).toBe('sim');
  });
});

async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('translateKubeError', () => {
  const target = { method: 'GET', path: '/api/v1/pods', server: 'https://k:6443', context: 'prod' };

  it("turns client-node's ApiException into KUBE_* with only the Status message", async () => {
    const { ApiException } = await import('@kubernetes/client-node');
    const body = JSON.stringify({
      kind: 'Status',
      message: 'pods is forbidden: User "dev" cannot list resource "pods"',
      code: 403,
    });
    const error = translateKubeError(
      new ApiException(403, 'HTTP-Code: 403', body, { authorization: `Bearer ${SECRET_TOKEN}` }),
      target,
    );
    expect(error.code).toBe('KUBE_FORBIDDEN');
    expect(error.message).toBe('pods is forbidden: User "dev" cannot list resource "pods"');
    expect(JSON.stringify(error.toJSON())).not.toContain(SECRET_TOKEN);
  });

  it('socket errors become KUBE_UNREACHABLE', () => {
    const error = translateKubeError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      target,
    );
    expect(error.code).toBe('KUBE_UNREACHABLE');
    expect(error.message).toBe(
      'The connection to the server k:6443 was refused - did you specify the right host or port?',
    );
  });
});
