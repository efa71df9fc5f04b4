import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dockerConfigCredentials,
  RegistryClient,
  staticCredentials,
} from '../../../src/adapters/registry/index.js';
import { parseImageRef } from '../../../src/core/image-ref/index.js';
import { isKubefreshError } from '../../../src/errors/index.js';
import {
  type Distribution,
  startDistribution,
  startTokenServer,
  type TokenServer,
} from '../../support/distribution.js';
import { type BuiltImage, skopeoPush, writeOciLayout } from '../../support/oci-layout.js';
import { createTestPki, type TestPki } from '../../support/test-pki.js';
import { findTool } from '../../support/tools.js';

const registryBin = findTool('docker-registry');
const skopeo = findTool('skopeo');
const PASSWORD = 's3cret-Pa55word';

/** Everything a user could see of an error: message, hint and JSON details. */
function visible(err: unknown): string {
  if (!isKubefreshError(err)) return String(err);
  return `${err.message}\n${err.hint}\n${JSON.stringify(err.toJSON())}`;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe.skipIf(!registryBin || !skopeo)(
  'registry client against distribution 2.8 with htpasswd Basic auth',
  () => {
    let registry: Distribution;
    let work: string;
    let image: BuiltImage;

    beforeAll(async () => {
      registry = await startDistribution(registryBin!, { htpasswd: { alice: PASSWORD } });
      work = mkdtempSync(join(tmpdir(), 'kubefresh-basic-'));
      image = writeOciLayout(join(work, 'img'), {
        tag: 'v1',
        platforms: ['linux/amd64', 'linux/arm64'],
        label: 'basic',
      });
      await skopeoPush(skopeo!, join(work, 'img'), 'v1', `${registry.host}/team/app:v1`, [
        '--dest-tls-verify=false',
        '--dest-creds',
        `alice:${PASSWORD}`,
      ]);
    });
    afterAll(async () => {
      await registry?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('resolves with a login read from config.json (base64 auth)', async () => {
      const configDir = join(work, 'docker');
      mkdirSync(configDir, { recursive: true });
      writeFileSync(
        join(configDir, 'config.json'),
        JSON.stringify({
          auths: {
            [`https://${registry.host}`]: { auth: Buffer.from(`alice:${PASSWORD}`).toString('base64') },
          },
        }),
      );
      const client = new RegistryClient({ credentials: dockerConfigCredentials({ configDir }) });
      expect((await client.resolve(parseImageRef(`${registry.host}/team/app:v1`))).digest).toBe(image.digest);
      await client.close();
    });

    it('says authentication is required when there is no login', async () => {
      const client = new RegistryClient();
      const err = await failure(client.resolve(parseImageRef(`${registry.host}/team/app:v1`)));
      await client.close();
      expect(err).toMatchObject({
        code: 'REGISTRY_UNAUTHORIZED',
        message: `registry ${registry.host} requires authentication for ${registry.host}/team/app (HTTP 401)`,
        hint: `log in with: docker login ${registry.host} (kubefresh reads $DOCKER_CONFIG/config.json or ~/.docker/config.json)`,
      });
    });

    it('says the credentials were rejected, without showing them', async () => {
      const client = new RegistryClient({
        credentials: staticCredentials({
          [registry.host]: { kind: 'basic', username: 'alice', password: 'wrong-Pa55' },
        }),
      });
      const err = await failure(client.resolve(parseImageRef(`${registry.host}/team/app:v1`)));
      await client.close();
      expect(err).toMatchObject({
        code: 'REGISTRY_UNAUTHORIZED',
        message: `registry ${registry.host} rejected the credentials for ${registry.host}/team/app (HTTP 401)`,
      });
      expect(visible(err)).not.toContain('wrong-Pa55');
      expect(visible(err)).not.toContain(Buffer.from('alice:wrong-Pa55').toString('base64'));
    });
  },
);

describe.skipIf(!registryBin || !skopeo)(
  'registry client against distribution 2.8 in auth: token mode',
  () => {
    let registry: Distribution;
    let tokens: TokenServer;
    let pki: TestPki;
    let work: string;
    let image: BuiltImage;
    const service = 'kubefresh-test-registry';
    const issuer = 'kubefresh-test-issuer';

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'kubefresh-token-'));
      pki = createTestPki(join(work, 'pki'));
      tokens = await startTokenServer({
        signer: pki.tokenSigner,
        issuer,
        service,
        users: { alice: { password: PASSWORD, repositories: ['team/app'] } },
      });
      registry = await startDistribution(registryBin!, {
        token: { realm: tokens.realm, service, issuer, rootCertBundle: pki.tokenSigner.cert },
      });
      image = writeOciLayout(join(work, 'img'), {
        tag: 'v1',
        platforms: ['linux/amd64', 'linux/arm64'],
        label: 'token',
      });
      await skopeoPush(skopeo!, join(work, 'img'), 'v1', `${registry.host}/team/app:v1`, [
        '--dest-tls-verify=false',
        '--dest-creds',
        `alice:${PASSWORD}`,
      ]);
      await skopeoPush(skopeo!, join(work, 'img'), 'v1', `${registry.host}/team/app:v2`, [
        '--dest-tls-verify=false',
        '--dest-creds',
        `alice:${PASSWORD}`,
      ]);
    });
    afterAll(async () => {
      await registry?.stop();
      await tokens?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('gets one pull token per repository scope, reuses it, and sends Basic only to the token service', async () => {
      const client = new RegistryClient({
        credentials: staticCredentials({
          [registry.host]: { kind: 'basic', username: 'alice', password: PASSWORD },
        }),
      });
      const before = tokens.requests.length;
      const refs = ['v1', 'v2', 'v1', 'v2'].map((tag) => parseImageRef(`${registry.host}/team/app:${tag}`));
      const resolved = await Promise.all(refs.map((ref) => client.resolve(ref)));
      await client.close();
      expect(resolved.map((r) => r.digest)).toEqual([image.digest, image.digest, image.digest, image.digest]);
      expect(tokens.requests.slice(before)).toEqual([
        { scopes: ['repository:team/app:pull'], user: 'alice', method: 'GET' },
      ]);
    });

    it('reads credentials through a docker-credential helper (credHelpers)', async () => {
      const bin = join(work, 'bin');
      mkdirSync(bin, { recursive: true });
      const helper = join(bin, 'docker-credential-kubefresh-test');
      writeFileSync(
        helper,
        `#!/bin/sh\nread server\nif [ "$1" = get ] && [ "$server" = "${registry.host}" ]; then echo '{"ServerURL":"'"$server"'","Username":"alice","Secret":"${PASSWORD}"}'; else echo 'credentials not found in native keychain'; exit 1; fi\n`,
      );
      chmodSync(helper, 0o755);
      const configDir = join(work, 'docker-helper');
      mkdirSync(configDir, { recursive: true });
      writeFileSync(
        join(configDir, 'config.json'),
        JSON.stringify({ credHelpers: { [registry.host]: 'kubefresh-test' } }),
      );
      const client = new RegistryClient({
        credentials: dockerConfigCredentials({ configDir, path: `${bin}:/usr/bin:/bin` }),
      });
      expect((await client.resolve(parseImageRef(`${registry.host}/team/app:v1`))).digest).toBe(image.digest);
      await client.close();
    });

    it('asks for an anonymous token without credentials and reports the refusal', async () => {
      const client = new RegistryClient();
      const before = tokens.requests.length;
      const err = await failure(client.resolve(parseImageRef(`${registry.host}/team/app:v1`)));
      await client.close();
      expect(tokens.requests.slice(before)).toEqual([
        { scopes: ['repository:team/app:pull'], user: undefined, method: 'GET' },
      ]);
      expect(err).toMatchObject({
        code: 'REGISTRY_UNAUTHORIZED',
        message: `registry ${registry.host} requires authentication for ${registry.host}/team/app (HTTP 401)`,
      });
    });

    it('reports a repository the login may not pull as denied', async () => {
      const client = new RegistryClient({
        credentials: staticCredentials({
          [registry.host]: { kind: 'basic', username: 'alice', password: PASSWORD },
        }),
      });
      const err = await failure(client.resolve(parseImageRef(`${registry.host}/other/app:v1`)));
      await client.close();
      expect(err).toMatchObject({
        code: 'REGISTRY_DENIED',
        message: `registry ${registry.host} denied access to ${registry.host}/other/app (HTTP 401)`,
        hint: 'the credentials in use lack permission for this repository; check the account or the repository name',
      });
      for (const token of tokens.issued) expect(visible(err)).not.toContain(token);
      expect(visible(err)).not.toContain(PASSWORD);
    });
  },
);
