import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT } from '../../../src/core/oci/index.js';
import { buildImage, pushImage, writeOciLayout } from '../../../src/sim/images/index.js';
import { type RunningRegistry, startRegistry } from '../../../src/sim/registry/index.js';
import { findTool } from '../../support/tools.js';
import { exec } from './exec.js';

const skopeo = findTool('skopeo');
const PASSWORD = 's3cret-Pa55';
const users = { alice: PASSWORD };
const image = buildImage({ labels: { auth: 'yes' } });
const basicHeader = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kubefresh-auth-'));
  writeOciLayout(join(work, 'layout'), image, { name: 'app:v1' });
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function noSecrets(text: string): string {
  expect(text).not.toContain(PASSWORD);
  return text;
}

describe('Basic auth', () => {
  let reg: RunningRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: { type: 'basic', users, deny: ['private/secret'] } });
    await pushImage(reg.registry, 'team/app', 'v1', image);
    await pushImage(reg.registry, 'private/secret', 'v1', image);
  });
  afterAll(async () => {
    await reg.close();
  });

  it('challenges anonymous requests with 401 UNAUTHORIZED and a Basic challenge', async () => {
    const response = await fetch(`${reg.url}/v2/team/app/manifests/v1`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="kubefresh-registry"');
    expect(((await response.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('UNAUTHORIZED');
    expect((await fetch(`${reg.url}/v2/`)).status).toBe(401);
  });

  it('serves authenticated requests and answers a denied repository with 403 DENIED', async () => {
    const headers = { Authorization: basicHeader, Accept: MANIFEST_ACCEPT.join(',') };
    const ok = await fetch(`${reg.url}/v2/team/app/manifests/v1`, { method: 'HEAD', headers });
    expect(ok.headers.get('docker-content-digest')).toBe(image.digest);
    const denied = await fetch(`${reg.url}/v2/private/secret/manifests/v1`, { headers });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({
      errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }],
    });
  });

  it('pushImage answers the Basic challenge with its credentials', async () => {
    await pushImage(reg.url, 'team/pushed', 'v1', image, {
      credentials: { username: 'alice', password: PASSWORD },
    });
    expect(reg.registry.resolveTag('team/pushed', 'v1')).toBe(image.digest);
    await expect(pushImage(reg.url, 'team/anon', 'v1', image)).rejects.toMatchObject({
      code: 'SIM_PUSH_FAILED',
    });
  });

  it.skipIf(!skopeo)('skopeo --creds inspects and copies; wrong or missing credentials fail', async () => {
    const ok = await exec(skopeo!, [
      'inspect',
      '--tls-verify=false',
      '--creds',
      `alice:${PASSWORD}`,
      `docker://${reg.host}/team/app:v1`,
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ Digest: image.digest });
    const push = await exec(skopeo!, [
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      `alice:${PASSWORD}`,
      `oci:${join(work, 'layout')}:v1`,
      `docker://${reg.host}/team/skopeo:v1`,
    ]);
    expect(push.code).toBe(0);
    expect(reg.registry.resolveTag('team/skopeo', 'v1')).toBe(image.digest);
    const wrong = await exec(skopeo!, [
      'inspect',
      '--tls-verify=false',
      '--creds',
      'alice:nope',
      `docker://${reg.host}/team/app:v1`,
    ]);
    expect(wrong.code).not.toBe(0);
    expect(noSecrets(wrong.stderr)).toMatch(/unauthorized|authentication required/);
    const denied = await exec(skopeo!, [
      'inspect',
      '--tls-verify=false',
      '--creds',
      `alice:${PASSWORD}`,
      `docker://${reg.host}/private/secret:v1`,
    ]);
    expect(denied.code).not.toBe(0);
    expect(noSecrets(denied.stderr)).toMatch(/denied/);
  });
});

describe('token auth', () => {
  let reg: RunningRegistry;
  beforeAll(async () => {
    reg = await startRegistry({
      auth: { type: 'token', users, deny: [/^private\//], anonymousPull: true, service: 'sim-registry' },
    });
    await pushImage(reg.registry, 'team/app', 'v1', image);
    await pushImage(reg.registry, 'private/secret', 'v1', image);
  });
  afterAll(async () => {
    await reg.close();
  });

  async function token(scope: string, credentials?: string): Promise<string> {
    const response = await fetch(`${reg.url}/token?service=sim-registry&scope=${encodeURIComponent(scope)}`, {
      headers: credentials ? { Authorization: credentials } : {},
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      token: string;
      access_token: string;
      expires_in: number;
      issued_at: string;
    };
    expect(body.access_token).toBe(body.token);
    expect(body.expires_in).toBe(300);
    return body.token;
  }

  it('challenges with a Bearer realm on this server, the service and the scope the request needs', async () => {
    const response = await fetch(`${reg.url}/v2/team/app/manifests/v1`, { method: 'HEAD' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="${reg.url}/token",service="sim-registry",scope="repository:team/app:pull"`,
    );
    const push = await fetch(`${reg.url}/v2/team/app/blobs/uploads/`, { method: 'POST' });
    expect(push.headers.get('www-authenticate')).toContain('scope="repository:team/app:pull,push"');
  });

  it('serves a request carrying a token with the scope; anonymous tokens may pull but not push', async () => {
    const anonymous = await token('repository:team/app:pull,push');
    const headers = { Authorization: `Bearer ${anonymous}`, Accept: MANIFEST_ACCEPT.join(',') };
    const ok = await fetch(`${reg.url}/v2/team/app/manifests/v1`, { method: 'HEAD', headers });
    expect(ok.headers.get('docker-content-digest')).toBe(image.digest);
    const push = await fetch(`${reg.url}/v2/team/app/blobs/uploads/`, { method: 'POST', headers });
    expect(push.status).toBe(401);
    expect(push.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('never grants a denied repository: a repeated insufficient_scope challenge', async () => {
    const granted = await token('repository:private/secret:pull', basicHeader);
    const response = await fetch(`${reg.url}/v2/private/secret/manifests/v1`, {
      headers: { Authorization: `Bearer ${granted}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('rejects a forged token as invalid_token and bad credentials at the token endpoint', async () => {
    const response = await fetch(`${reg.url}/v2/team/app/manifests/v1`, {
      headers: { Authorization: 'Bearer abc.def' },
    });
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const bad = await fetch(`${reg.url}/token?service=sim-registry&scope=repository:team/app:pull`, {
      headers: { Authorization: `Basic ${Buffer.from('alice:wrong').toString('base64')}` },
    });
    expect(bad.status).toBe(401);
  });

  it('issues tokens through the OAuth2 POST form too (what containerd tries first)', async () => {
    const response = await fetch(`${reg.url}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'alice',
        password: PASSWORD,
        service: 'sim-registry',
        scope: 'repository:team/app:pull,push',
        client_id: 'containerd-client',
      }),
    });
    const { access_token: granted } = (await response.json()) as { access_token: string };
    const push = await fetch(`${reg.url}/v2/team/app/blobs/uploads/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${granted}` },
    });
    expect(push.status).toBe(202);
  });

  it('pushImage gets a token with its credentials and pushes', async () => {
    await pushImage(reg.url, 'team/pushed', 'v1', image, {
      credentials: { username: 'alice', password: PASSWORD },
    });
    expect(reg.registry.resolveTag('team/pushed', 'v1')).toBe(image.digest);
  });

  it.skipIf(!skopeo)(
    'skopeo --creds pushes and inspects through the token flow; denied repositories fail',
    async () => {
      const push = await exec(skopeo!, [
        'copy',
        '--dest-tls-verify=false',
        '--dest-creds',
        `alice:${PASSWORD}`,
        `oci:${join(work, 'layout')}:v1`,
        `docker://${reg.host}/team/skopeo:v1`,
      ]);
      expect(push.code, push.stderr).toBe(0);
      expect(reg.registry.resolveTag('team/skopeo', 'v1')).toBe(image.digest);
      const inspect = await exec(skopeo!, [
        'inspect',
        '--tls-verify=false',
        '--creds',
        `alice:${PASSWORD}`,
        `docker://${reg.host}/team/skopeo:v1`,
      ]);
      expect(JSON.parse(inspect.stdout)).toMatchObject({ Digest: image.digest });
      const denied = await exec(skopeo!, [
        'inspect',
        '--tls-verify=false',
        '--creds',
        `alice:${PASSWORD}`,
        `docker://${reg.host}/private/secret:v1`,
      ]);
      expect(denied.code).not.toBe(0);
      expect(noSecrets(denied.stderr)).toMatch(/unauthorized|authentication required|denied/);
      const anonymousPush = await exec(skopeo!, [
        'copy',
        '--dest-tls-verify=false',
        `oci:${join(work, 'layout')}:v1`,
        `docker://${reg.host}/team/anon:v1`,
      ]);
      expect(anonymousPush.code).not.toBe(0);
      expect(reg.registry.resolveTag('team/anon', 'v1')).toBeUndefined();
    },
  );
});
