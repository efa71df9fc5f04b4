import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { HeadPipeline, PipelineUnsupported } from '../../../src/adapters/registry/head-pipeline.js';
import { IdleTimeouts } from '../../../src/adapters/registry/idle-timeouts.js';
import { RegistryClient } from '../../../src/adapters/registry/index.js';
import { parseImageRef } from '../../../src/core/image-ref/index.js';

/**
 * A raw TCP server that reads HTTP/1.1 request heads as they arrive and lets each test decide
 * what to write back and when, so pipelining and connection handling can be held to account.
 */
interface RawServer {
  readonly port: number;
  readonly host: string;
  /** Request lines received, in order, over all connections. */
  readonly requests: string[];
  connections: number;
  close(): Promise<void>;
}

type OnRequests = (socket: Socket, heads: string[], state: { answered: number; index: number }) => void;

let servers: Server[] = [];
let pipelines: HeadPipeline[] = [];
afterEach(async () => {
  for (const p of pipelines) p.close();
  pipelines = [];
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

/** `onRequests` sees every request head received so far on a connection that is not yet answered. */
async function rawServer(onRequests: OnRequests): Promise<RawServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const result = { connections: 0 } as RawServer & { connections: number };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const state = { answered: 0, index: result.connections };
    result.connections += 1;
    let buffer = '';
    const waiting: string[] = [];
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      if (buffer === '' && chunk.charCodeAt(0) === 0x16) {
        // A TLS ClientHello (the HTTPS-first probe): answer as a plain-HTTP server does.
        socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      buffer += chunk;
      let end = buffer.indexOf('\r\n\r\n');
      while (end >= 0) {
        const head = buffer.slice(0, end);
        buffer = buffer.slice(end + 4);
        requests.push(head.split('\r\n')[0]!);
        waiting.push(head);
        end = buffer.indexOf('\r\n\r\n');
      }
      onRequests(socket, waiting, state);
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return Object.assign(result, {
    port,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

/** Answers and forgets every waiting request, each with its path in a header. */
function answerAll(socket: Socket, heads: string[], state: { answered: number }, extra = ''): void {
  for (const head of heads.splice(0)) {
    const path = head.split(' ')[1];
    state.answered += 1;
    socket.write(`HTTP/1.1 200 OK\r\nx-path: ${path}\r\n${extra}content-length: 123\r\n\r\n`);
  }
}

function pipeline(server: RawServer, options: { connections?: number; timeoutMs?: number } = {}) {
  const p = new HeadPipeline({
    connections: options.connections ?? 1,
    timeoutMs: options.timeoutMs ?? 5_000,
    idle: new IdleTimeouts(),
  });
  pipelines.push(p);
  const origin = { host: server.host, hostname: '127.0.0.1', port: server.port };
  return {
    p,
    origin,
    head: (path: string, headers: Record<string, string> = {}) => p.head(origin, path, headers),
  };
}

describe('HeadPipeline', () => {
  it('sends requests back to back on one connection and matches answers in order', async () => {
    // This server answers nothing until three requests are in: a client sending one at a time stalls.
    const server = await rawServer((socket, heads, state) => {
      if (heads.length >= 3 || state.answered > 0)
        answerAll(socket, heads, state, 'x-dup: a\r\nx-dup: b\r\n');
    });
    const { head } = pipeline(server);
    const answers = await Promise.all(['/a', '/b', '/c'].map((path) => head(path, { accept: 'x/y' })));
    expect(answers.map((a) => [a.status, a.headers['x-path'], a.headers['x-dup']])).toEqual([
      [200, '/a', 'a, b'],
      [200, '/b', 'a, b'],
      [200, '/c', 'a, b'],
    ]);
    // HEAD answers have no body, whatever Content-Length says; nothing was read as one.
    expect(answers[0]!.headers['content-length']).toBe('123');
    expect(server.connections).toBe(1);
    expect(server.requests).toEqual(['HEAD /a HTTP/1.1', 'HEAD /b HTTP/1.1', 'HEAD /c HTTP/1.1']);
  });

  it('sends again what a connection closed under (keep-alive races, request caps)', async () => {
    // Two answers per connection, then the connection is dropped without warning.
    const server = await rawServer((socket, heads, state) => {
      while (heads.length > 0 && state.answered < 2) answerAll(socket, [heads.shift()!], state);
      if (state.answered >= 2) socket.destroy();
    });
    const { head } = pipeline(server);
    const paths = ['/1', '/2', '/3', '/4', '/5', '/6'];
    const answers = await Promise.all(paths.map((path) => head(path)));
    expect(answers.map((a) => a.headers['x-path'])).toEqual(paths);
    expect(server.connections).toBeGreaterThanOrEqual(3);
  });

  it('honours Connection: close and HTTP/1.0 answers by moving on to a new connection', async () => {
    const server = await rawServer((socket, heads, state) => {
      const head = heads.shift();
      if (head === undefined) return;
      const path = head.split(' ')[1];
      state.answered += 1;
      // The first connection says close; the second speaks HTTP/1.0 (closing by default).
      if (state.index === 0) socket.write(`HTTP/1.1 200 OK\r\nconnection: close\r\nx-path: ${path}\r\n\r\n`);
      else if (state.index === 1) socket.write(`HTTP/1.0 200 OK\r\nx-path: ${path}\r\n\r\n`);
      else answerAll(socket, [head, ...heads.splice(0)], state);
      if (state.index < 2) socket.end();
    });
    const { head } = pipeline(server);
    const answers = await Promise.all(['/a', '/b', '/c', '/d'].map((path) => head(path)));
    expect(answers.map((a) => a.headers['x-path'])).toEqual(['/a', '/b', '/c', '/d']);
    expect(server.connections).toBe(3);
  });

  it('gives up on an origin that answers something other than HTTP/1.x', async () => {
    const server = await rawServer((socket, heads) => {
      heads.splice(0);
      socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n');
    });
    const { p, origin, head } = pipeline(server);
    await expect(head('/a')).rejects.toBeInstanceOf(PipelineUnsupported);
    expect(p.supports(origin)).toBe(false);
    await expect(head('/b')).rejects.toBeInstanceOf(PipelineUnsupported);
  });

  it('gives up when connections keep closing before the requests behind the first are answered', async () => {
    const server = await rawServer((socket, heads, state) => {
      if (state.answered === 0 && heads.length > 0) answerAll(socket, [heads.shift()!], state);
      socket.destroy();
    });
    const { p, origin, head } = pipeline(server);
    const results = await Promise.allSettled(['/1', '/2', '/3', '/4', '/5', '/6'].map((path) => head(path)));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(PipelineUnsupported);
    expect(p.supports(origin)).toBe(false);
  });

  it('fails like Node’s client on silence, refusal and a header that would split the request', async () => {
    const silent = await rawServer(() => undefined);
    const started = Date.now();
    await expect(pipeline(silent, { timeoutMs: 300 }).head('/a')).rejects.toMatchObject({
      code: 'ETIMEDOUT',
    });
    expect(Date.now() - started).toBeLessThan(2_000);

    const gone = await rawServer(() => undefined);
    await gone.close();
    await expect(pipeline(gone).head('/a')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const server = await rawServer((socket, heads, state) => answerAll(socket, heads, state));
    await expect(
      pipeline(server).head('/a', { authorization: 'Bearer x\r\nhost: evil' }),
    ).rejects.toBeInstanceOf(PipelineUnsupported);
    expect(server.requests).toEqual([]);
  });
});

describe('idle pipelined connections', () => {
  const built = join(process.cwd(), 'dist/adapters/registry/index.js');
  it.skipIf(!existsSync(built))('do not keep a process alive that never closes its client', async () => {
    // The server keeps connections open for ever; a process that resolved a tag and did not call
    // close() must still exit at once, as it does with Node's agent (which unrefs idle sockets).
    const server = await rawServer((socket, heads, state) =>
      answerAll(socket, heads, state, 'docker-content-digest: sha256:' + 'c'.repeat(64) + '\r\n'),
    );
    const script = `
      const { RegistryClient } = await import(${JSON.stringify(pathToFileURL(built).href)});
      const { parseImageRef } = await import(${JSON.stringify(pathToFileURL(join(process.cwd(), 'dist/core/image-ref/index.js')).href)});
      const client = new RegistryClient();
      const resolved = await client.resolve(parseImageRef('${server.host}/app:1'));
      console.log(resolved.digest);
    `;
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe(`sha256:${'c'.repeat(64)}`);
    expect(server.requests.filter((r) => r.startsWith('HEAD'))).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('registry client over a server that cannot be pipelined', () => {
  it('falls back to Node’s client and still resolves every tag', async () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    // Connection 0 is the HTTPS-first probe; connection 1, the first plain-HTTP one, is the
    // pipeline's and gets garbage; later ones (Node's client) get proper answers.
    const server = await rawServer((socket, heads, state) => {
      if (state.index === 1) {
        heads.splice(0);
        socket.end('garbage\r\n\r\n');
        return;
      }
      for (const head of heads.splice(0)) {
        state.answered += 1;
        socket.write(
          `HTTP/1.1 200 OK\r\ncontent-type: application/vnd.oci.image.manifest.v1+json\r\ndocker-content-digest: ${digest}\r\ncontent-length: 10\r\n\r\n${head.startsWith('HEAD') ? '' : '0123456789'}`,
        );
      }
    });
    const client = new RegistryClient();
    const refs = ['a', 'b', 'c', 'd', 'e'].map((tag) => parseImageRef(`${server.host}/app:${tag}`));
    const resolved = await Promise.all(refs.map((ref) => client.resolve(ref)));
    await client.close();
    expect(resolved.map((r) => r.digest)).toEqual(refs.map(() => digest));
    expect(
      server.requests.filter((r) => r.startsWith('HEAD /v2/app/manifests/')).length,
    ).toBeGreaterThanOrEqual(5);
  });
});
