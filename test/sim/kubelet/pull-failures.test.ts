import { afterEach, describe, expect, it } from 'vitest';
import { appImage, startTestCluster, type TestCluster } from './support/cluster.js';

let cluster: TestCluster;
afterEach(async () => cluster?.close());

const waitingWith = (c: TestCluster, pod: string, reason: string) => () => {
  const status = c.container(pod);
  return status?.state?.waiting?.reason === reason ? status : undefined;
};

async function pullFailure(c: TestCluster, pod: string): Promise<string> {
  const status = await c.seen(pod, (s) => s.state?.waiting?.reason === 'ErrImagePull', `${pod} ErrImagePull`);
  return status.state.waiting.message as string;
}

describe('pull failures', () => {
  it("a missing tag: ErrImagePull with containerd's not-found text, then ImagePullBackOff", async () => {
    cluster = await startTestCluster();
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push('app', 'v1', appImage());
    cluster.pod('missing', 'k3s-server', { image: `${reg}/app:v9`, imagePullPolicy: 'IfNotPresent' });
    const ref = `${reg}/app:v9`;
    expect(await pullFailure(cluster, 'missing')).toBe(
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
    );
    const backoff = await cluster.until(
      waitingWith(cluster, 'missing', 'ImagePullBackOff'),
      'ImagePullBackOff',
    );
    expect(backoff.state.waiting.message).toBe(
      `Back-off pulling image "${ref}": ErrImagePull: failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
    );
    const events = cluster.events('missing');
    const messages = events.map((e) => `${e.type} ${e.reason} ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        `Normal Pulling Pulling image "${ref}"`,
        `Warning Failed Failed to pull image "${ref}": failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
        'Warning Failed Error: ErrImagePull',
        `Normal BackOff Back-off pulling image "${ref}"`,
        'Warning Failed Error: ImagePullBackOff',
      ]),
    );
    expect(events.every((e) => e.fieldPath === 'spec.containers{app}')).toBe(true);
    // Once pushed, the next attempt after the back-off succeeds.
    cluster.push('app', 'v9', appImage());
    await cluster.until(() => cluster.container('missing')?.state?.running, 'pod running after push', 8000);
  });

  it('a localhost registry is reachable only from the node it runs on', async () => {
    cluster = await startTestCluster({ nodes: 2 });
    const ref = `localhost:${cluster.registry.port}/app:v1`;
    cluster.push('app', 'v1', appImage());
    cluster.pod('server', 'k3s-server', { image: ref, imagePullPolicy: 'IfNotPresent' });
    cluster.pod('agent', 'k3s-agent-1', { image: ref, imagePullPolicy: 'IfNotPresent' });
    await cluster.until(() => cluster.container('server')?.state?.running, 'server pod running');
    expect(await pullFailure(cluster, 'agent')).toBe(
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: Head "http://localhost:${cluster.registry.port}/v2/app/manifests/v1": dial tcp 127.0.0.1:${cluster.registry.port}: connect: connection refused`,
    );
  });

  it('an unknown host fails like an unresolvable name; nothing leaves the machine', async () => {
    cluster = await startTestCluster();
    cluster.pod('remote', 'k3s-server', {
      image: 'registry.example.com/team/app:v1',
      imagePullPolicy: 'IfNotPresent',
    });
    const ref = 'registry.example.com/team/app:v1';
    expect(await pullFailure(cluster, 'remote')).toBe(
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: Head "https://registry.example.com/v2/team/app/manifests/v1": dial tcp: lookup registry.example.com: no such host`,
    );
    cluster.pod('hub', 'k3s-server', { image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' });
    expect(await pullFailure(cluster, 'hub')).toContain(
      'failed to do request: Head "https://registry-1.docker.io/v2/library/nginx/manifests/1.25": dial tcp: lookup registry-1.docker.io: no such host',
    );
  });

  it('a plain-HTTP registry under a non-loopback name: HTTP response to HTTPS client', async () => {
    cluster = await startTestCluster({ hostAliases: { 'registry.sim': '127.0.0.1' } });
    cluster.push('app', 'v1', appImage());
    const ref = `registry.sim:${cluster.registry.port}/app:v1`;
    cluster.pod('https', 'k3s-server', { image: ref, imagePullPolicy: 'IfNotPresent' });
    expect(await pullFailure(cluster, 'https')).toBe(
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: Head "https://registry.sim:${cluster.registry.port}/v2/app/manifests/v1": http: server gave HTTP response to HTTPS client`,
    );
  });

  it('a registries.yaml mirror with an http:// endpoint makes localhost:5000 pullable on every node', async () => {
    cluster = await startTestCluster({
      nodes: 2,
      hostAliases: { 'registry.sim': '127.0.0.1' },
      registriesFor: (port) => ({
        mirrors: { 'localhost:5000': { endpoint: [`http://registry.sim:${port}`] } },
      }),
    });
    const pushed = cluster.push('app', 'v1', appImage());
    cluster.pod('agent', 'k3s-agent-1', { image: 'localhost:5000/app:v1', imagePullPolicy: 'IfNotPresent' });
    const status = await cluster.until(
      () => cluster.container('agent')?.state?.running && cluster.container('agent'),
      'agent pod running',
    );
    // The image keeps the name it was asked for; the mirror is invisible in pod status.
    expect(status.imageID).toBe(`localhost:5000/app@${pushed.digest}`);
    expect(status.image).toBe('localhost:5000/app:v1');
  });
});

describe('registry auth', () => {
  it('Basic auth without a pull secret: 401; with a pull secret the pod runs', async () => {
    cluster = await startTestCluster({ auth: { type: 'basic', users: { ci: 's3cret' } } });
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push('private', 'v1', appImage());
    const ref = `${reg}/private:v1`;
    cluster.pod('anon', 'k3s-server', { image: ref, imagePullPolicy: 'IfNotPresent' });
    expect(await pullFailure(cluster, 'anon')).toBe(
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": unexpected status from HEAD request to http://${reg}/v2/private/manifests/v1: 401 Unauthorized`,
    );
    const auths = { [reg]: { username: 'ci', password: 's3cret' } };
    cluster.store.create('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'regcred', namespace: 'default' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths })).toString('base64') },
    });
    cluster.pod(
      'authed',
      'k3s-server',
      { image: ref, imagePullPolicy: 'IfNotPresent' },
      {
        imagePullSecrets: [{ name: 'regcred' }],
      },
    );
    await cluster.until(() => cluster.container('authed')?.state?.running, 'authed pod running');
    const text = JSON.stringify(cluster.store.list('events').items);
    expect(text).not.toContain('s3cret');
  });

  it('token auth that denies the repository: pull access denied', async () => {
    cluster = await startTestCluster({
      auth: { type: 'token', users: { ci: 'pw' }, anonymousPull: true, deny: ['secret/app'] },
    });
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push('secret/app', 'v1', appImage());
    const ref = `${reg}/secret/app:v1`;
    cluster.pod('denied', 'k3s-server', { image: ref, imagePullPolicy: 'IfNotPresent' });
    expect(await pullFailure(cluster, 'denied')).toBe(
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
    );
  });

  it('token auth: a pull secret buys a Bearer token for the repository', async () => {
    cluster = await startTestCluster({ auth: { type: 'token', users: { robot: 'tok3n-pw' } } });
    const reg = `localhost:${cluster.registry.port}`;
    const pushed = cluster.push('team/app', 'v1', appImage());
    const auth = Buffer.from('robot:tok3n-pw').toString('base64');
    cluster.store.create('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'robot', namespace: 'default' },
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [`http://${reg}`]: { auth } } })).toString(
          'base64',
        ),
      },
    });
    cluster.pod(
      'bearer',
      'k3s-server',
      { image: `${reg}/team/app:v1` },
      { imagePullSecrets: [{ name: 'robot' }, { name: 'gone' }] },
    );
    const status = await cluster.until(
      () => cluster.container('bearer')?.state?.running && cluster.container('bearer'),
      'bearer pod running',
    );
    expect(status.imageID).toBe(`${reg}/team/app@${pushed.digest}`);
    expect(
      cluster.events('bearer').find((e) => e.reason === 'FailedToRetrieveImagePullSecret')?.message,
    ).toBe(
      'Unable to retrieve some image pull secrets (gone); attempting to pull the image may not succeed.',
    );
  });

  it('Always fails the start when the registry is down, even with the image cached', async () => {
    cluster = await startTestCluster();
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push(
      'app',
      'v1',
      appImage({ 'io.kubefresh.sim.exit-code': '1', 'io.kubefresh.sim.run-duration': '100' }),
    );
    cluster.pod('always', 'k3s-server', { image: `${reg}/app:v1`, imagePullPolicy: 'Always' });
    await cluster.until(() => (cluster.container('always')?.restartCount ?? 0) >= 1, 'a restart');
    cluster.kubelets.node('k3s-server').network.setLocalRegistry(cluster.registry.port, false);
    const status = await cluster.seen(
      'always',
      (s) => s.state?.waiting?.reason === 'ErrImagePull',
      'ErrImagePull on restart',
    );
    expect(status.state.waiting.message).toContain('connect: connection refused');
    expect(status.lastState.terminated.exitCode).toBe(1);
  });
});
