import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RegistryClient,
  type RegistryClientOptions,
  staticCredentials,
} from '../../../src/adapters/registry/index.js';
import { parseImageRef } from '../../../src/core/image-ref/index.js';
import { isKubefreshError } from '../../../src/errors/index.js';
import { type FakeRegistry, INDEX_TYPE, serveFake } from './fake-registry.js';

const BODY = JSON.stringify({
  schemaVersion: 2,
  mediaType: INDEX_TYPE,
  manifests: [
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${'a'.repeat(64)}`,
      size: 10,
      platform: { os: 'linux', architecture: 'amd64' },
    },
  ],
});
const DIGEST = `sha256:${createHash('sha256').update(BODY).digest('hex')}`;

let servers: FakeRegistry[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(...args: Parameters<typeof serveFake>): Promise<FakeRegistry> {
  const server = await serveFake(...args);
  servers.push(server);
  return server;
}

function manifest(
  res: ServerResponse,
  options: { digest?: string | null; body?: string; head?: boolean } = {},
): void {
  const body = options.body ?? BODY;
  res.writeHead(200, {
    'content-type': INDEX_TYPE,
    'content-length': Buffer.byteLength(body),
    ...(options.digest === null ? {} : { 'docker-content-digest': options.digest ?? DIGEST }),
  });
  res.end(options.head ? undefined : body);
}

/** Fast, deterministic retries: waits are recorded instead of slept. */
function client(extra: RegistryClientOptions = {}): { client: RegistryClient; waits: number[] } {
  const waits: number[] = [];
  return {
    client: new RegistryClient({ sleep: async (ms) => void waits.push(ms), random: () => 0.5, ...extra }),
    waits,
  };
}

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    if (!isKubefreshError(err)) throw err;
    return { code: err.code, message: err.message, hint: err.hint, details: err.details };
  }
  throw new Error('expected a failure');
}

const methods = (server: FakeRegistry): string[] =>
  server.requests.filter((r) => r.url !== '/v2/').map((r) => `${r.method} ${r.url}`);

describe('registry client fault handling', () => {
  it('sends all four manifest media types and makes identical lookups once', async () => {
    const server = await fake((req, res) =>
      req.url === '/v2/' ? res.end() : manifest(res, { head: req.method === 'HEAD' }),
    );
    const { client: c } = client();
    const ref = parseImageRef(`${server.host}/app:1`);
    const results = await Promise.all(Array.from({ length: 10 }, () => c.resolve(ref)));
    await c.close();
    expect(new Set(results.map((r) => r.digest))).toEqual(new Set([DIGEST]));
    expect(methods(server)).toEqual(['HEAD /v2/app/manifests/1']);
    expect(server.requests.at(-1)!.headers.accept).toBe(
      'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    );
  });

  it('falls back to GET and hashes the exact body when Docker-Content-Digest is missing', async () => {
    const server = await fake((req, res) =>
      req.url === '/v2/' ? res.end() : manifest(res, { digest: null, head: req.method === 'HEAD' }),
    );
    const { client: c } = client();
    const resolved = await c.resolve(parseImageRef(`${server.host}/app:1`));
    await c.close();
    expect(resolved).toEqual({ digest: DIGEST, mediaType: INDEX_TYPE, size: Buffer.byteLength(BODY) });
    expect(methods(server)).toEqual(['HEAD /v2/app/manifests/1', 'GET /v2/app/manifests/1']);
  });

  it('rejects a GET body that does not match the digest the registry claims', async () => {
    const server = await fake((req, res) =>
      req.url === '/v2/'
        ? res.end()
        : manifest(res, { digest: `sha256:${'b'.repeat(64)}`, head: req.method === 'HEAD' }),
    );
    const { client: c } = client();
    const err = await failure(c.fetchManifest(parseImageRef(`${server.host}/app:1`)));
    await c.close();
    expect(err).toMatchObject({
      code: 'REGISTRY_PROTOCOL',
      message: `registry ${server.host} answered unexpectedly for ${server.host}/app: the manifest it sent hashes to ${DIGEST}, not sha256:${'b'.repeat(64)} as its Docker-Content-Digest header says`,
    });
  });

  it('waits as Retry-After says on 429, then succeeds', async () => {
    let calls = 0;
    const server = await fake((req, res) => {
      if (req.url === '/v2/') return void res.end();
      if (++calls <= 2) return void res.writeHead(429, { 'retry-after': '2' }).end();
      manifest(res, { head: true });
    });
    const { client: c, waits } = client();
    expect((await c.resolve(parseImageRef(`${server.host}/app:1`))).digest).toBe(DIGEST);
    await c.close();
    expect(waits).toEqual([2000, 2000]);
  });

  it('reports rate limiting after the retries run out', async () => {
    const server = await fake((req, res) =>
      req.url === '/v2/'
        ? res.end()
        : res.writeHead(429, { 'content-type': 'text/plain' }).end('You have reached your pull rate limit.'),
    );
    const { client: c, waits } = client();
    const err = await failure(c.resolve(parseImageRef(`${server.host}/app:1`)));
    await c.close();
    expect(waits).toEqual([100, 200, 400]); // exponential, full jitter at 0.5
    expect(err).toMatchObject({
      code: 'REGISTRY_RATE_LIMITED',
      message: `registry ${server.host} rate limited requests for ${server.host}/app (HTTP 429 after 4 attempts; 4 requests made to it in this run)`,
      hint: 'wait and retry, or log in (docker login) for a higher limit; kubefresh resolves with HEAD, which Docker Hub does not count',
    });
  });

  it('does not wait longer than its limit when Retry-After is far away', async () => {
    const server = await fake((req, res) =>
      req.url === '/v2/' ? res.end() : res.writeHead(429, { 'retry-after': '3600' }).end(),
    );
    const { client: c, waits } = client();
    const err = await failure(c.resolve(parseImageRef(`${server.host}/app:1`)));
    await c.close();
    expect(waits).toEqual([]);
    expect(err.message).toBe(
      `registry ${server.host} rate limited requests for ${server.host}/app (HTTP 429 after 1 attempt; it asks to retry after 3600s; 1 request made to it in this run)`,
    );
  });

  it('retries 5xx with back-off and reports a registry that keeps failing', async () => {
    let calls = 0;
    const flaky = await fake((req, res) => {
      if (req.url === '/v2/') return void res.end();
      if (++calls === 1) return void res.writeHead(503).end();
      manifest(res, { head: true });
    });
    const { client: c, waits } = client();
    expect((await c.resolve(parseImageRef(`${flaky.host}/app:1`))).digest).toBe(DIGEST);
    expect(waits).toEqual([100]);
    const broken = await fake((req, res) => (req.url === '/v2/' ? res.end() : res.writeHead(502).end()));
    const err = await failure(c.resolve(parseImageRef(`${broken.host}/app:1`)));
    await c.close();
    expect(err).toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `cannot reach registry ${broken.host} for ${broken.host}/app: it answered HTTP 502 (retried) (http://${broken.host}/v2/app/manifests/1)`,
      hint: 'the registry is failing; retry later or ask its operators',
    });
  });

  it('retries a dropped connection', async () => {
    let calls = 0;
    const server = await fake((req, res) => {
      if (req.url === '/v2/') return void res.end();
      if (++calls === 1) return void req.socket.destroy();
      manifest(res, { head: true });
    });
    const { client: c } = client();
    expect((await c.resolve(parseImageRef(`${server.host}/app:1`))).digest).toBe(DIGEST);
    await c.close();
    expect(calls).toBe(2);
  });

  it('costs one request per reference on a loopback registry: the first HEAD finds the scheme, no ping', async () => {
    const server = await fake((req, res) => manifest(res, { head: req.method === 'HEAD' }));
    let counted = 0;
    const { client: c } = client({ onRequest: ({ status }) => status !== undefined && counted++ });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => c.resolve(parseImageRef(`${server.host}/app:${i}`))),
    );
    await c.resolve(parseImageRef(`${server.host}/other:1`));
    await c.close();
    expect(server.requests.map((r) => r.url).filter((u) => u === '/v2/')).toEqual([]);
    expect(server.requests).toHaveLength(21);
    expect(counted).toBe(21);
  });

  it('answers the challenge of a loopback registry on the first HEAD; the rest send credentials at once', async () => {
    const expected = `Basic ${Buffer.from('ci:s3cret').toString('base64')}`;
    const server = await fake((req, res) =>
      req.headers.authorization === expected
        ? manifest(res, { head: req.method === 'HEAD' })
        : void res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"' }).end(),
    );
    const { client: c } = client({
      credentials: staticCredentials({
        [server.host]: { kind: 'basic', username: 'ci', password: 's3cret' },
      }),
    });
    const refs = Array.from({ length: 10 }, (_, i) => parseImageRef(`${server.host}/app:${i}`));
    const digests = await Promise.all(refs.map(async (ref) => (await c.resolve(ref)).digest));
    await c.close();
    expect(digests).toEqual(refs.map(() => DIGEST));
    const unauthorized = server.requests.filter((r) => r.headers.authorization === undefined);
    expect(unauthorized.map((r) => `${r.method} ${r.url}`)).toEqual(['HEAD /v2/app/manifests/0']);
    expect(server.requests).toHaveLength(11);
  });

  it('caps requests in flight per registry', async () => {
    const server = await fake(async (req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (req.url === '/v2/') return void res.end();
      manifest(res, { head: true });
    });
    const { client: c } = client({ maxConcurrency: 3 });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => c.resolve(parseImageRef(`${server.host}/app:${i}`))),
    );
    await c.close();
    expect(server.maxInFlight()).toBe(3);
  });

  it('records RateLimit headers', async () => {
    const server = await fake((req, res) => {
      if (req.url === '/v2/') return void res.end();
      res.setHeader('ratelimit-limit', '100;w=21600');
      res.setHeader('ratelimit-remaining', '76;w=21600');
      res.setHeader('docker-ratelimit-source', '192.0.2.1');
      manifest(res, { head: true });
    });
    const { client: c } = client();
    await c.resolve(parseImageRef(`${server.host}/app:1`));
    await c.close();
    expect(c.rateLimits()).toEqual([
      { registry: server.host, limit: '100;w=21600', remaining: '76;w=21600', source: '192.0.2.1' },
    ]);
  });

  it('reports connection refused, unknown hosts and timeouts as unreachable', async () => {
    const closed = await fake((_req, res) => void res.end());
    const port = closed.port;
    await closed.close();
    servers = [];
    const { client: c } = client({ timeoutMs: 300 });
    expect(await failure(c.resolve(parseImageRef(`127.0.0.1:${port}/app:1`)))).toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `cannot reach registry 127.0.0.1:${port} for 127.0.0.1:${port}/app: connection refused (https://127.0.0.1:${port}/v2/app/manifests/1)`,
      hint: 'check the registry host and port, and that the registry is running',
      details: { reason: 'refused' },
    });
    expect(await failure(c.resolve(parseImageRef('registry.nonexistent.invalid/app:1')))).toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message:
        'cannot reach registry registry.nonexistent.invalid for registry.nonexistent.invalid/app: the host name registry.nonexistent.invalid does not resolve (https://registry.nonexistent.invalid/v2/)',
      details: { reason: 'dns' },
    });
    const stalled = await fake(() => {}); // accepts, never answers
    const err = await failure(c.resolve(parseImageRef(`${stalled.host}/app:1`)));
    await c.close();
    expect(err).toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `cannot reach registry ${stalled.host} for ${stalled.host}/app: no answer within 300ms (http://${stalled.host}/v2/app/manifests/1)`,
      hint: 'the registry is slow or unreachable; check the network, or raise --timeout',
    });
  });

  it('fails a body that stops mid-way, but not one that keeps arriving slowly', async () => {
    const half = Math.floor(BODY.length / 2);
    const server = await fake((req, res) => {
      res.writeHead(200, {
        'content-type': INDEX_TYPE,
        'content-length': Buffer.byteLength(BODY),
        'docker-content-digest': DIGEST,
      });
      if (req.method === 'HEAD') return void res.end();
      res.write(BODY.slice(0, half));
      if (req.url?.includes('/stops')) return; // headers and half the manifest, then silence
      // The rest in pieces, each well inside the limit, together well beyond it.
      const rest = BODY.slice(half);
      const pieces = [0, 1, 2, 3, 4].map((i) =>
        rest.slice((i * rest.length) / 5, ((i + 1) * rest.length) / 5),
      );
      const drip = (): void => {
        const piece = pieces.shift();
        if (piece === undefined) return void res.end();
        res.write(piece);
        setTimeout(drip, 150);
      };
      setTimeout(drip, 150);
    });
    const { client: c } = client({ timeoutMs: 400 });
    const started = Date.now();
    const slow = await c.fetchManifest(parseImageRef(`${server.host}/drips:1`));
    expect(slow.digest).toBe(DIGEST);
    expect(Date.now() - started).toBeGreaterThan(600);
    expect(await failure(c.fetchManifest(parseImageRef(`${server.host}/stops:1`)))).toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `cannot reach registry ${server.host} for ${server.host}/stops: no answer within 400ms (http://${server.host}/v2/stops/manifests/1)`,
    });
    await c.close();
  });

  it('classifies 403 as denied and garbage as a protocol error', async () => {
    const server = await fake((req, res) => {
      if (req.url === '/v2/') return void res.end();
      if (req.url?.startsWith('/v2/locked/')) {
        return void res
          .writeHead(403, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}');
      }
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(req.method === 'HEAD' ? undefined : '<html>login</html>');
    });
    const { client: c } = client();
    expect(await failure(c.resolve(parseImageRef(`${server.host}/locked/app:1`)))).toMatchObject({
      code: 'REGISTRY_DENIED',
      message: `registry ${server.host} denied access to ${server.host}/locked/app (HTTP 403)`,
    });
    expect(await failure(c.resolve(parseImageRef(`${server.host}/portal/app:1`)))).toMatchObject({
      code: 'REGISTRY_PROTOCOL',
      message: `registry ${server.host} sent an invalid manifest for ${server.host}/portal/app@1: the body is not JSON`,
    });
    await c.close();
  });

  it('gets anonymous Bearer tokens per scope, and renews them when they expire', async () => {
    const issued: string[] = [];
    let host = '';
    const server = await fake((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/token') {
        const token = `tok-${issued.length}-${url.searchParams.get('scope')}`;
        issued.push(token);
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: token, expires_in: 1 }));
      }
      const challenge = `Basic realm="ignored", Bearer realm="http://${host}/token",service="fake",scope="repository:app:pull"`;
      if (req.headers.authorization !== `Bearer ${issued.at(-1)}`) {
        return void res
          .writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' })
          .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      }
      manifest(res, { head: true });
    });
    host = server.host;
    const { client: c } = client();
    await c.resolve(parseImageRef(`${server.host}/app:1`));
    await c.resolve(parseImageRef(`${server.host}/app:2`));
    expect(issued).toEqual(['tok-0-repository:app:pull']);
    await new Promise((resolve) => setTimeout(resolve, 600)); // a 1 s token is renewed after half its life
    await c.resolve(parseImageRef(`${server.host}/app:3`));
    expect(issued).toHaveLength(2);
    await c.close();
  });

  it('exchanges an identity token with the refresh_token grant', async () => {
    let host = '';
    let form = '';
    const server = await fake(async (req, res) => {
      if (req.url === '/token') {
        for await (const chunk of req) form += chunk;
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"access_token":"acc3ss"}');
      }
      if (req.headers.authorization !== 'Bearer acc3ss') {
        return void res
          .writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="fake"` })
          .end();
      }
      manifest(res, { head: true });
    });
    host = server.host;
    const { client: c } = client({
      credentials: staticCredentials({ [server.host]: { kind: 'identity-token', token: 'r3fresh' } }),
    });
    expect((await c.resolve(parseImageRef(`${server.host}/app:1`))).digest).toBe(DIGEST);
    await c.close();
    expect(Object.fromEntries(new URLSearchParams(form))).toEqual({
      service: 'fake',
      scope: 'repository:app:pull',
      grant_type: 'refresh_token',
      refresh_token: 'r3fresh',
      client_id: 'kubefresh',
    });
  });
});
