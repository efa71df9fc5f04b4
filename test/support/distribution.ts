import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

/**
 * Starts the reference registry (distribution 2.8, Debian's `docker-registry`) on a free
 * 127.0.0.1 port with a temp config and storage: open, htpasswd Basic, `auth: token`, and/or TLS.
 */
export interface DistributionOptions {
  /** htpasswd Basic auth with these users (bcrypt hashes are generated here). */
  readonly htpasswd?: Readonly<Record<string, string>>;
  /** `auth: token` mode: tokens from `realm`, signed by the key whose certificate is `rootCertBundle`. */
  readonly token?: {
    readonly realm: string;
    readonly service: string;
    readonly issuer: string;
    readonly rootCertBundle: string;
  };
  /** Serve HTTPS with this certificate and key. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export interface Distribution {
  /** `127.0.0.1:PORT`, the registry part of image references. */
  readonly host: string;
  readonly port: number;
  /** Apache-style access log lines seen so far (`"HEAD /v2/… HTTP/1.1" 200`). */
  readonly accessLog: string[];
  /** Waits (up to `timeoutMs`) until a logged line matches, then returns every matching line. */
  waitForLog(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string[]>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released; a tiny race we accept in tests). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}):\n${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not listen on ${port}:\n${output()}`);
}

export async function startDistribution(
  binary: string,
  options: DistributionOptions = {},
): Promise<Distribution> {
  const dir = mkdtempSync(join(tmpdir(), 'kubefresh-distribution-'));
  const port = await freePort();
  const lines = ['version: 0.1', 'log:', '  level: warn', '  accesslog:', '    disabled: false'];
  lines.push(
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
  );
  lines.push('http:', `  addr: 127.0.0.1:${port}`, '  secret: kubefresh-test-secret');
  if (options.tls)
    lines.push('  tls:', `    certificate: ${options.tls.cert}`, `    key: ${options.tls.key}`);
  if (options.htpasswd) {
    const file = join(dir, 'htpasswd');
    writeFileSync(
      file,
      Object.entries(options.htpasswd)
        .map(([user, password]) => `${user}:${bcrypt.hashSync(password, 4)}`)
        .join('\n'),
    );
    lines.push('auth:', '  htpasswd:', '    realm: kubefresh-test', `    path: ${file}`);
  } else if (options.token) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${options.token.realm}`,
      `    service: ${options.token.service}`,
      `    issuer: ${options.token.issuer}`,
      `    rootcertbundle: ${options.token.rootCertBundle}`,
    );
  }
  const config = join(dir, 'config.yml');
  writeFileSync(config, `${lines.join('\n')}\n`);
  const child = spawn(binary, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const accessLog: string[] = [];
  // Whole lines only: a log line can arrive split over two chunks.
  const partial = { stdout: '', stderr: '' };
  const collector =
    (stream: 'stdout' | 'stderr') =>
    (chunk: Buffer): void => {
      const text = partial[stream] + chunk.toString('utf8');
      output += chunk.toString('utf8');
      const lines = text.split('\n');
      partial[stream] = lines.pop() ?? '';
      for (const line of lines) if (/"[A-Z]+ \/v2\//.test(line)) accessLog.push(line);
    };
  child.stdout?.on('data', collector('stdout'));
  child.stderr?.on('data', collector('stderr'));
  await waitForPort(port, child, () => output);
  return {
    host: `127.0.0.1:${port}`,
    port,
    accessLog,
    async waitForLog(predicate, timeoutMs = 5000) {
      // The registry logs a request after answering it, so a test that has its answer may have
      // to wait a moment for the line.
      const deadline = Date.now() + timeoutMs;
      while (!accessLog.some(predicate) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return accessLog.filter(predicate);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The libtrust key ID distribution 2.8 uses as `kid`: base32 of sha256(SPKI DER)[:30] in 4-char groups. */
export function libtrustKeyId(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  const hash = createHash('sha256').update(der).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of hash) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out.match(/.{1,4}/g)!.join(':');
}

export interface TokenServer {
  /** `http://127.0.0.1:PORT/token`, the realm to configure. */
  readonly realm: string;
  /** Every token request seen: the query's scopes and whether it carried Basic credentials. */
  readonly requests: Array<{ scopes: string[]; user: string | undefined; method: string }>;
  /** Every token issued (tests assert none of them shows up in output). */
  readonly issued: string[];
  stop(): Promise<void>;
}

/**
 * A token service in the shape of `docker/distribution`'s token spec: GET realm?service&scope with
 * optional Basic auth → `{token, access_token, expires_in}` signed ES256 with `kid`. `users` maps
 * user → password and the repositories each may pull; with `anonymous` pulls of any repo are granted
 * without credentials.
 */
export async function startTokenServer(options: {
  readonly signer: { readonly cert: string; readonly key: string };
  readonly issuer: string;
  readonly service: string;
  readonly users?: Readonly<Record<string, { password: string; repositories: readonly string[] }>>;
  readonly anonymous?: boolean;
  readonly expiresIn?: number;
}): Promise<TokenServer> {
  const key = createPrivateKey(readFileSync(options.signer.key));
  const kid = libtrustKeyId(
    createPublicKey(readFileSync(options.signer.cert)).export({ type: 'spki', format: 'pem' }) as string,
  );
  const requests: TokenServer['requests'] = [];
  const issued: string[] = [];
  const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scopes = url.searchParams.getAll('scope');
    let user: string | undefined;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const [name, ...rest] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
      const entry = options.users?.[name!];
      if (!entry || entry.password !== rest.join(':')) {
        requests.push({ scopes, user: name, method: req.method ?? '' });
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"details":"incorrect username or password"}');
        return;
      }
      user = name;
    }
    requests.push({ scopes, user, method: req.method ?? '' });
    if (!user && !options.anonymous) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"authentication required"}');
      return;
    }
    const access = scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      if (type !== 'repository' || !name) return [];
      const allowed = user ? options.users![user]!.repositories.includes(name) : options.anonymous === true;
      return allowed
        ? [
            {
              type,
              name,
              actions: (actions ?? '').split(',').filter((a) => a === 'pull' || (a === 'push' && user)),
            },
          ]
        : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', kid };
    const claims = {
      iss: options.issuer,
      sub: user ?? '',
      aud: options.service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: `${now}-${issued.length}`,
      access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    const token = `${input}.${b64url(signature)}`;
    issued.push(token);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        token,
        access_token: token,
        expires_in: options.expiresIn ?? 300,
        issued_at: new Date().toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests,
    issued,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
