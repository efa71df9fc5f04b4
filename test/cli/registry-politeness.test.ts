import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runKubefresh } from '../support/cli.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** A registry that answers every manifest request with `status`; it records when each arrived. */
async function registry(answer: (n: number) => { status: number; headers?: Record<string, string> }) {
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    req.resume();
    if (req.url === '/v2/') return void res.writeHead(200).end();
    arrivals.push(Date.now());
    const { status, headers } = answer(arrivals.length);
    res.writeHead(status, {
      ...(status === 200
        ? {
            'docker-content-digest': DIGEST,
            'content-type': 'application/vnd.oci.image.manifest.v1+json',
            'content-length': '2',
          }
        : {}),
      ...headers,
    });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals };
}

describe('digest is polite to a registry that says slow down', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it.each([
    [429, 'rate limited'],
    [500, 'stopped asking it in this run'],
  ])(
    '200 images behind a registry answering %i: a few dozen requests, not 800, and the count is said',
    async (status, said) => {
      const reg = await registry(() => ({ status }));
      server = reg.server;
      const refs = Array.from({ length: 200 }, (_, i) => `${reg.host}/app${i}:v1`);
      const started = Date.now();
      const result = await runKubefresh(['digest', ...refs], { env: { HOME: '/nonexistent' } });
      expect(result.code).toBe(3);
      expect(reg.arrivals.length).toBeLessThan(60);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(result.stderr).toContain(said);
      expect(result.stderr).toMatch(/\d+ requests? made/);
    },
    30_000,
  );

  it('one Retry-After holds every request to that registry, not only the one that got it', async () => {
    let limitedAt = 0;
    const reg = await registry((n) => {
      if (n === 1) {
        limitedAt = Date.now();
        return { status: 429, headers: { 'retry-after': '1' } };
      }
      return { status: 200 };
    });
    server = reg.server;
    // One at a time at first: the 429 comes before any other request is out.
    const refs = Array.from({ length: 20 }, (_, i) => `${reg.host}/app${i}:v1`);
    const first = await runKubefresh(['digest', refs[0]!, ...refs.slice(1)], {
      env: { HOME: '/nonexistent' },
    });
    expect(first.code).toBe(0);
    const early = reg.arrivals.filter((t) => t > limitedAt + 200 && t < limitedAt + 900);
    expect(early).toEqual([]);
  }, 30_000);
});

describe('the first Ctrl-C stops digest, pin and lint - at once (built CLI)', () => {
  const BIN = join(process.cwd(), 'dist/cli/bin.js');
  let silent: Server;
  let host: string;
  beforeAll(async () => {
    // Accepts connections and never answers.
    silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    host = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    silent.closeAllConnections();
    return new Promise<void>((r) => silent.close(() => r()));
  });

  it.each([
    ['digest waiting on a registry', () => ['digest', `${host}/app:v1`]],
    ['pin waiting on a registry', () => ['pin', '-']],
    ['lint waiting on stdin', () => ['lint', '-']],
  ])('%s', async (_what, args) => {
    const child = spawn(process.execPath, [BIN, ...args()], {
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // pin - gets a manifest naming the silent registry and keeps stdin open; lint - gets nothing.
    if (args()[0] === 'pin')
      child.stdin.end(
        `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: "${host}/app:v1"}]}\n`,
      );
    await new Promise((r) => setTimeout(r, 700));
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(2000);
    expect(stderr).toContain('interrupted');
  });
});
