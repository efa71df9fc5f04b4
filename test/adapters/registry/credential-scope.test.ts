import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import {
  createServer as createHttp,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, staticCredentials } from '../../../src/adapters/registry/index.js';
import { lookupWith } from '../../../src/cli/registry-flags.js';
import { parseImageRef } from '../../../src/core/image-ref/index.js';
import { createTestPki, pem } from '../../support/test-pki.js';

const LOGIN = { kind: 'basic', username: 'u', password: 'kf-scope-password' } as const;
const BASIC = `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64')}`;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
}

function listen(server: Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port)),
  );
}

/** A registry that wants Basic auth and answers what these tests send. */
function registryHandler(seen: Seen[], answer: (req: IncomingMessage, res: ServerResponse) => boolean) {
  return (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    if (req.headers.authorization !== BASIC) {
      res.writeHead(401, {
        'www-authenticate': 'Basic realm="r"',
        'docker-distribution-api-version': 'registry/2.0',
      });
      res.end();
      return;
    }
    if (!answer(req, res)) {
      res.writeHead(404);
      res.end();
    }
  };
}

describe('registry credentials go only where they belong', () => {
  const closers: Server[] = [];
  afterAll(async () => {
    for (const s of closers) await new Promise((r) => s.close(() => r(undefined)));
  });

  it('a plain-HTTP registry whose name resolves to loopback (a sim) still gets its login', async () => {
    const seen: Seen[] = [];
    const registry = createHttp(registryHandler(seen, () => false));
    closers.push(registry);
    const host = `registry.sim:${await listen(registry)}`;
    const client = new RegistryClient({
      insecureRegistries: [host],
      lookup: (await lookupWith(['registry.sim=127.0.0.1']))!,
      credentials: staticCredentials({ [host]: LOGIN }),
    });
    await expect(client.resolve(parseImageRef(`${host}/app:v1`))).rejects.toMatchObject({
      code: 'REGISTRY_NOT_FOUND',
    });
    await client.close();
    expect(seen.some((s) => s.authorization === BASIC)).toBe(true);
  });

  it('an upload Location on another host gets no Authorization', async () => {
    const elsewhere: Seen[] = [];
    const other = createHttp((req, res) => {
      elsewhere.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
      });
      req.resume();
      res.writeHead(201);
      res.end();
    });
    closers.push(other);
    const otherPort = await listen(other, '127.0.0.2');
    const seen: Seen[] = [];
    const registry = createHttp(
      registryHandler(seen, (req, res) => {
        if (req.method === 'POST') {
          res.writeHead(202, { location: `http://127.0.0.2:${otherPort}/upload/1` });
          res.end();
          return true;
        }
        return false;
      }),
    );
    closers.push(registry);
    const port = await listen(registry);
    const host = `127.0.0.1:${port}`;
    const client = new RegistryClient({ credentials: staticCredentials({ [host]: LOGIN }) });
    const data = new TextEncoder().encode('layer');
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    await client.pushBlob(parseImageRef(`${host}/app`), digest, data);
    await client.close();
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere[0]!.method).toBe('PUT');
    expect(elsewhere[0]!.authorization).toBeUndefined();
    expect(seen.some((s) => s.authorization === BASIC)).toBe(true);
  });

  it('credentials are never sent over plain HTTP to a host that is not loopback', async () => {
    const seen: Seen[] = [];
    const registry = createHttp(registryHandler(seen, () => false));
    closers.push(registry);
    const port = await listen(registry);
    // registry.example names a network host as well as this machine (connections reach 127.0.0.1
    // first, so nothing leaves it even if the refusal failed); credentials must not go in clear.
    const host = `registry.example:${port}`;
    const lookup = ((_name: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
      options.all
        ? callback(null, [
            { address: '127.0.0.1', family: 4 },
            { address: '192.0.2.1', family: 4 },
          ])
        : callback(null, '127.0.0.1', 4)) as unknown as LookupFunction;
    const client = new RegistryClient({
      insecureRegistries: [host],
      lookup,
      credentials: staticCredentials({ [host]: LOGIN }),
    });
    await expect(client.resolve(parseImageRef(`${host}/app:v1`))).rejects.toMatchObject({
      code: 'REGISTRY_INSECURE_CREDENTIALS',
      message: `refusing to send credentials for ${host} over plain HTTP to ${host}`,
    });
    await client.close();
    expect(seen.every((s) => s.authorization === undefined)).toBe(true);
  });

  describe('an HTTPS registry', () => {
    const pki = createTestPki(join(mkdtempSync(join(tmpdir(), 'kubefresh-scope-')), 'pki'));
    let host: string;
    let cdnSeen: Seen[];
    beforeAll(async () => {
      cdnSeen = [];
      const cdn = createHttp((req, res) => {
        cdnSeen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization,
        });
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
        res.end('{}');
      });
      closers.push(cdn);
      const cdnPort = await listen(cdn);
      const seen: Seen[] = [];
      const registry = createHttps(
        { cert: pem(pki.server.cert), key: pem(pki.server.key) },
        registryHandler(seen, (req, res) => {
          if (req.url?.includes('/manifests/')) {
            res.writeHead(307, { location: `http://cdn.example:${cdnPort}/manifest` });
            res.end();
            return true;
          }
          return false;
        }),
      );
      closers.push(registry);
      host = `127.0.0.1:${await listen(registry)}`;
    });

    it('refuses to follow a redirect to plain HTTP and trusts nothing from it', async () => {
      const client = new RegistryClient({
        ca: pem(pki.caCert),
        lookup: (await lookupWith(['cdn.example=127.0.0.1']))!,
        credentials: staticCredentials({ [host]: LOGIN }),
      });
      await expect(client.resolve(parseImageRef(`${host}/app:v1`))).rejects.toMatchObject({
        code: 'REGISTRY_INSECURE_REDIRECT',
      });
      await client.close();
      expect(cdnSeen).toEqual([]);
    });
  });
});
