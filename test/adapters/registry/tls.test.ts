import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../src/adapters/registry/index.js';
import { parseImageRef } from '../../../src/core/image-ref/index.js';
import { isKubefreshError } from '../../../src/errors/index.js';
import { type Distribution, startDistribution } from '../../support/distribution.js';
import { type BuiltImage, skopeoPush, writeOciLayout } from '../../support/oci-layout.js';
import { createTestPki, type TestPki } from '../../support/test-pki.js';
import { findTool } from '../../support/tools.js';
import { type FakeRegistry, serveFake } from './fake-registry.js';

const registryBin = findTool('docker-registry');
const skopeo = findTool('skopeo');

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    if (!isKubefreshError(err)) throw err;
    return { code: err.code, message: err.message, hint: err.hint, details: err.details };
  }
  throw new Error('expected a failure');
}

/** Resolves every name to 127.0.0.1, so a test can use a host name that is not loopback. */
const toLoopback: LookupFunction = (_host, options, callback) => {
  const cb = callback as unknown as (err: null, address: unknown, family?: number) => void;
  if ((options as { all?: boolean }).all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
};

let work: string;
let pki: TestPki;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kubefresh-tls-'));
  pki = createTestPki(join(work, 'pki'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!registryBin || !skopeo)(
  'registry client against distribution 2.8 over TLS with a test CA',
  () => {
    let registry: Distribution;
    let image: BuiltImage;
    beforeAll(async () => {
      registry = await startDistribution(registryBin!, { tls: pki.server });
      image = writeOciLayout(join(work, 'img'), {
        tag: 'v1',
        platforms: ['linux/amd64', 'linux/arm64'],
        label: 'tls',
      });
      await skopeoPush(skopeo!, join(work, 'img'), 'v1', `${registry.host}/team/app:v1`);
    });
    afterAll(async () => {
      await registry?.stop();
    });

    it('resolves over HTTPS when given the CA', async () => {
      const client = new RegistryClient({ ca: readFileSync(pki.caCert, 'utf8') });
      expect((await client.resolve(parseImageRef(`${registry.host}/team/app:v1`))).digest).toBe(image.digest);
      await client.close();
    });

    it('refuses an unknown authority and says how to trust it', async () => {
      const client = new RegistryClient();
      const err = await failure(client.resolve(parseImageRef(`${registry.host}/team/app:v1`)));
      await client.close();
      expect(err).toMatchObject({
        code: 'REGISTRY_TLS',
        message: `TLS error talking to registry ${registry.host} for ${registry.host}/team/app: its certificate is signed by an unknown authority (unable to verify the first certificate)`,
        hint: `pass the registry's CA certificate with --registry-ca FILE, or --insecure-registry ${registry.host} to skip verification`,
        details: { reason: 'unknown-authority' },
      });
    });

    it('skips verification for an --insecure-registry host', async () => {
      const client = new RegistryClient({ insecureRegistries: [registry.host] });
      expect((await client.resolve(parseImageRef(`${registry.host}/team/app:v1`))).digest).toBe(image.digest);
      await client.close();
    });
  },
);

describe('TLS failures users can act on', () => {
  const servers: FakeRegistry[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  const pem = (path: string): string => readFileSync(path, 'utf8');

  it('names a certificate issued for another host', async () => {
    const server = await serveFake((_req, res) => void res.end(), {
      cert: pem(pki.wrongName.cert),
      key: pem(pki.wrongName.key),
    });
    servers.push(server);
    const client = new RegistryClient({ ca: pem(pki.caCert) });
    const err = await failure(client.resolve(parseImageRef(`${server.host}/app:1`)));
    await client.close();
    expect(err).toMatchObject({
      code: 'REGISTRY_TLS',
      message: `TLS error talking to registry ${server.host} for ${server.host}/app: its certificate is not valid for 127.0.0.1 (Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: )`,
      hint: "use the host name the certificate was issued for, or fix the registry's certificate",
    });
  });

  it('names an expired certificate', async () => {
    const server = await serveFake((_req, res) => void res.end(), {
      cert: pem(pki.expired.cert),
      key: pem(pki.expired.key),
    });
    servers.push(server);
    const client = new RegistryClient({ ca: pem(pki.caCert) });
    const err = await failure(client.resolve(parseImageRef(`${server.host}/app:1`)));
    await client.close();
    expect(err).toMatchObject({
      code: 'REGISTRY_TLS',
      message: `TLS error talking to registry ${server.host} for ${server.host}/app: its certificate has expired or is not yet valid (certificate has expired)`,
      hint: "renew the registry's certificate (or check this machine's clock)",
    });
  });

  it('explains a plain HTTP registry under a non-loopback name, and reaches it once marked insecure', async () => {
    const server = await serveFake((req, res) => {
      if (req.url === '/v2/') return void res.end();
      res
        .writeHead(200, {
          'docker-content-digest': `sha256:${'c'.repeat(64)}`,
          'content-type': 'application/vnd.oci.image.manifest.v1+json',
        })
        .end();
    });
    servers.push(server);
    const host = `registry.example.test:${server.port}`;
    const strict = new RegistryClient({ lookup: toLoopback });
    const err = await failure(strict.resolve(parseImageRef(`${host}/app:1`)));
    await strict.close();
    expect(err).toMatchObject({
      code: 'REGISTRY_TLS',
      message: `TLS error talking to registry ${host} for ${host}/app: it answered plain HTTP to an HTTPS request`,
      hint: `the registry serves plain HTTP; add --insecure-registry ${host}`,
    });
    const lenient = new RegistryClient({ lookup: toLoopback, insecureRegistries: [host] });
    expect((await lenient.resolve(parseImageRef(`${host}/app:1`))).digest).toBe(`sha256:${'c'.repeat(64)}`);
    await lenient.close();
  });
});
