import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerConfigCredentials, dockerConfigDir } from '../../../src/adapters/registry/index.js';

let dir: string;
let bin: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubefresh-creds-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  // A credential store in the docker-credential-helpers protocol: knows one server, else "not found".
  writeFileSync(
    join(bin, 'docker-credential-teststore'),
    `#!/bin/sh\nread server\ncase "$server" in\n  https://index.docker.io/v1/) echo '{"Username":"hubuser","Secret":"hub-Secret"}' ;;\n  ghcr.io) echo '{"Username":"<token>","Secret":"refresh-tok"}' ;;\n  broken.example) echo 'keychain locked' >&2; exit 3 ;;\n  *) echo 'credentials not found in native keychain'; exit 1 ;;\nesac\n`,
  );
  chmodSync(join(bin, 'docker-credential-teststore'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, content: unknown): string {
  const configDir = join(dir, name);
  mkdirSync(configDir, { recursive: true });
  writeFileSync(
    join(configDir, 'config.json'),
    typeof content === 'string' ? content : JSON.stringify(content),
  );
  return configDir;
}

describe('Docker config.json credentials', () => {
  it('finds $DOCKER_CONFIG first, then ~/.docker', () => {
    expect(dockerConfigDir({ DOCKER_CONFIG: '/etc/dc', HOME: '/home/u' })).toBe('/etc/dc');
    expect(dockerConfigDir({ HOME: '/home/u' })).toBe('/home/u/.docker');
    expect(dockerConfigDir({})).toBeUndefined();
  });

  it('reads base64 auth, identity tokens and the Docker Hub key from auths', async () => {
    const source = dockerConfigCredentials({
      configDir: config('auths', {
        auths: {
          'https://index.docker.io/v1/': { auth: Buffer.from('hub:pa:ss').toString('base64') },
          'http://registry.local:5000/v2/': { auth: Buffer.from('local:pw').toString('base64') },
          'quay.io': { auth: Buffer.from('robot:').toString('base64'), identitytoken: 'idt' },
        },
      }),
    });
    expect(await source.get('docker.io')).toEqual({ kind: 'basic', username: 'hub', password: 'pa:ss' });
    expect(await source.get('registry.local:5000')).toEqual({
      kind: 'basic',
      username: 'local',
      password: 'pw',
    });
    expect(await source.get('quay.io')).toEqual({ kind: 'identity-token', username: 'robot', token: 'idt' });
    expect(await source.get('elsewhere.io')).toBeUndefined();
  });

  it('asks credsStore, lets credHelpers override it per host, and treats "not found" as anonymous', async () => {
    const source = dockerConfigCredentials({
      configDir: config('store', {
        credsStore: 'teststore',
        credHelpers: { 'other.io': 'missinghelper' },
        auths: { 'fallback.io': { auth: Buffer.from('f:b').toString('base64') } },
      }),
      path: `${bin}:/usr/bin:/bin`,
    });
    expect(await source.get('docker.io')).toEqual({
      kind: 'basic',
      username: 'hubuser',
      password: 'hub-Secret',
    });
    expect(await source.get('ghcr.io')).toEqual({ kind: 'identity-token', token: 'refresh-tok' });
    expect(await source.get('fallback.io')).toEqual({ kind: 'basic', username: 'f', password: 'b' });
    await expect(source.get('broken.example')).rejects.toMatchObject({
      code: 'CONFIG_CREDENTIAL_HELPER',
      message: 'credential helper docker-credential-teststore failed for broken.example: keychain locked',
      hint: 'check the helper works: echo broken.example | docker-credential-teststore get',
    });
    await expect(source.get('other.io')).rejects.toMatchObject({
      code: 'CONFIG_CREDENTIAL_HELPER',
      message:
        "credential helper docker-credential-missinghelper (configured in Docker's config.json) is not installed",
    });
  });

  it('treats a missing file as anonymous and a malformed one as an error naming it', async () => {
    expect(
      await dockerConfigCredentials({ configDir: join(dir, 'absent') }).get('docker.io'),
    ).toBeUndefined();
    const bad = config('bad', '{"auths": ');
    await expect(dockerConfigCredentials({ configDir: bad }).get('docker.io')).rejects.toMatchObject({
      code: 'CONFIG_DOCKER_CONFIG',
      message: `cannot read Docker config ${join(bad, 'config.json')}: not valid JSON at line 1, column 11: expected a value`,
    });
    const leaky = config('leaky', '{"auths": {"r": {"auth": "c2VjcmV0", password: "hunter2"}}}');
    const error = await dockerConfigCredentials({ configDir: leaky })
      .get('docker.io')
      .catch((e: Error) => e);
    expect(String((error as Error).message)).toMatch(/line 1, column 38: unexpected character$/);
    expect(JSON.stringify(error) + String((error as Error).cause)).not.toMatch(/hunter2|c2VjcmV0/);
  });
});
