import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Access, RegistryAuth, type RegistryAuthOptions } from './auth.js';
import { isDigest, sha256Digest } from './digest.js';
import { DirectoryStorage } from './directory-storage.js';
import { OCI_ERRORS, OciError, type OciErrorCode } from './errors.js';
import { type FaultRule, FaultSet } from './faults.js';
import { acceptedTypes, type NegotiatedManifest, negotiate, validateManifest } from './manifests.js';
import { MemoryStorage } from './memory-storage.js';
import { matchRoute, REPOSITORY_NAME, type RouteMatch, TAG } from './request-kind.js';
import { RequestLog, type RequestRecord } from './request-log.js';
import type { RegistryStorage } from './storage.js';

/** How to build a registry. */
export interface RegistryOptions {
  /** Where content lives. Default: memory, or a {@link DirectoryStorage} when `directory` is given. */
  readonly storage?: RegistryStorage;
  /** Keep content in this directory (survives restarts). */
  readonly directory?: string;
  /** Basic or token auth; default: open to everyone. Change later with `setAuth`. */
  readonly auth?: RegistryAuthOptions;
  /** Allow DELETE of manifests, tags and blobs (distribution's `storage.delete.enabled`). Default: true. */
  readonly deleteEnabled?: boolean;
}

/** Where to listen. */
export interface ListenOptions {
  /** Default: `127.0.0.1`. Tests and benchmarks stay on loopback. */
  readonly host?: string;
  /** Default: 0 (any free port). */
  readonly port?: number;
}

/** A registry listening on a port. */
export interface RunningRegistry {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `127.0.0.1:PORT`: the registry part of image references (`127.0.0.1:PORT/app:v1`). */
  readonly host: string;
  readonly port: number;
  readonly registry: InProcessRegistry;
  close(): Promise<void>;
}

/** An answer before it is sent. */
interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
}

function reply(status: number, headers: Record<string, string>, body?: string | Buffer): Reply {
  return body === undefined ? { status, headers } : { status, headers, body };
}

interface Upload {
  readonly repository: string;
  readonly chunks: Buffer[];
  size: number;
}

const API_VERSION = { 'Docker-Distribution-API-Version': 'registry/2.0' };
const JSON_TYPE = 'application/json; charset=utf-8';

function defaultCode(status: number): OciErrorCode {
  if (status === 429) return 'TOOMANYREQUESTS';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'DENIED';
  if (status === 404) return 'NAME_UNKNOWN';
  if (status === 503) return 'UNAVAILABLE';
  return 'UNKNOWN';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function paginate(items: string[], url: URL, base: string): { page: string[]; link?: string } {
  const nText = url.searchParams.get('n');
  const last = url.searchParams.get('last');
  const after = last === null ? items : items.filter((item) => item > last);
  if (nText === null) return { page: after };
  const n = Number(nText);
  if (!Number.isInteger(n) || n < 0) {
    throw new OciError('UNSUPPORTED', {
      status: 400,
      message: `invalid number of results requested: ${nText}`,
    });
  }
  const page = after.slice(0, n);
  if (after.length <= n || page.length === 0) return { page };
  const next = new URLSearchParams({ last: page[page.length - 1]!, n: String(n) });
  return { page, link: `<${base}?${next}>; rel="next"` };
}

function parseRange(header: string, total: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 ? undefined : { start: Math.max(0, total - suffix), end: total - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? total - 1 : Math.min(Number(match[2]), total - 1);
  return start > end || start >= total ? undefined : { start, end };
}

/**
 * An OCI distribution registry served by `node:http`, in this process. Real clients (skopeo,
 * containerd, docker-registry's peers) use it unmodified; tests inject faults and read the request log.
 * Use `handler` inside another server, `start()` to listen on a port, or the direct content methods
 * (`pushBlob`, `pushManifest`, `resolveTag`…) to seed and inspect it without HTTP.
 */
export class InProcessRegistry {
  readonly storage: RegistryStorage;
  /** Misbehaviours to inject per request matcher. */
  readonly faults = new FaultSet();
  /** Every request answered, with counters by method. */
  readonly log = new RequestLog();
  private auth: RegistryAuth | undefined;
  private readonly deleteEnabled: boolean;
  private readonly uploads = new Map<string, Upload>();
  private readonly servers = new Set<Server>();

  constructor(options: RegistryOptions = {}) {
    this.storage =
      options.storage ?? (options.directory ? new DirectoryStorage(options.directory) : new MemoryStorage());
    this.auth = options.auth ? new RegistryAuth(options.auth) : undefined;
    this.deleteEnabled = options.deleteEnabled ?? true;
  }

  /** Switches auth on, changes it, or (with undefined) turns it off. */
  setAuth(auth: RegistryAuthOptions | undefined): void {
    this.auth = auth ? new RegistryAuth(auth) : undefined;
  }

  /** A `node:http` request listener serving the registry API. */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) this.sendError(res, new OciError('UNKNOWN', { detail: String(error) }), false);
      else res.destroy();
    });
  };

  /** Listens on `host:port` (default 127.0.0.1, any free port). */
  async start(listen: ListenOptions = {}): Promise<RunningRegistry> {
    const server = createServer({ keepAlive: true }, this.handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', () => resolve());
    });
    this.servers.add(server);
    const address = server.address() as AddressInfo;
    const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const host = `${hostPart}:${address.port}`;
    return {
      url: `http://${host}`,
      host,
      port: address.port,
      registry: this,
      close: () => this.stopServer(server),
    };
  }

  /** Stops every server started with `start()`. */
  async close(): Promise<void> {
    await Promise.all([...this.servers].map((server) => this.stopServer(server)));
  }

  private stopServer(server: Server): Promise<void> {
    if (!this.servers.delete(server)) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ---- direct content API (no HTTP, no auth, no faults) ----

  /** Stores a blob in a repository and returns its digest. */
  pushBlob(repository: string, bytes: Uint8Array): string {
    const digest = sha256Digest(bytes);
    this.storage.putBlob(digest, bytes);
    this.storage.linkBlob(repository, digest);
    return digest;
  }

  /**
   * Stores a manifest (validated as a PUT would be) under a tag or its digest; returns the digest.
   * Pushing a different manifest under an existing tag moves the tag, as on any registry.
   */
  pushManifest(repository: string, reference: string, bytes: Uint8Array, mediaType?: string): string {
    const type = validateManifest(this.storage, repository, bytes, mediaType);
    const digest = sha256Digest(bytes);
    if (isDigest(reference) && reference !== digest)
      throw new OciError('DIGEST_INVALID', { detail: reference });
    this.storage.putManifest(repository, digest, { mediaType: type, bytes: Buffer.from(bytes) });
    this.storage.linkBlob(repository, digest);
    if (!isDigest(reference)) this.storage.setTag(repository, reference, digest);
    return digest;
  }

  /** The digest a tag names now, or undefined. */
  resolveTag(repository: string, tag: string): string | undefined {
    return this.storage.getTag(repository, tag);
  }

  /** Points a tag at a manifest already in the repository (a "retag"). */
  tagManifest(repository: string, tag: string, digest: string): void {
    if (!this.storage.getManifest(repository, digest))
      throw new OciError('MANIFEST_UNKNOWN', { detail: digest });
    this.storage.setTag(repository, tag, digest);
  }

  /** The stored manifest for a tag or digest, without content negotiation. */
  getManifest(repository: string, reference: string): NegotiatedManifest | undefined {
    const digest = isDigest(reference) ? reference : this.storage.getTag(repository, reference);
    const manifest = digest ? this.storage.getManifest(repository, digest) : undefined;
    return digest && manifest ? { ...manifest, digest } : undefined;
  }

  /** Removes a tag (the manifest stays, reachable by digest). */
  deleteTag(repository: string, tag: string): boolean {
    return this.storage.deleteTag(repository, tag);
  }

  /** Tags of a repository, sorted; undefined when it does not exist. */
  tags(repository: string): string[] | undefined {
    return this.storage.listTags(repository);
  }

  /** Repository names, sorted. */
  repositories(): string[] {
    return this.storage.listRepositories();
  }

  // ---- HTTP ----

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://registry.invalid');
    const route = matchRoute(url.pathname);
    const method = req.method ?? 'GET';
    const accept = req.headers.accept;
    const record: RequestRecord = {
      method,
      url: req.url ?? '/',
      kind: route.kind,
      ...(route.name === undefined ? {} : { repository: route.name }),
      ...(route.reference === undefined ? {} : { reference: route.reference }),
      ...(accept === undefined ? {} : { accept }),
      status: 0,
    };
    this.log.add(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });

    const fired = this.faults.take({
      method,
      kind: route.kind,
      path: url.pathname,
      ...(route.name === undefined ? {} : { repository: route.name }),
      ...(route.reference === undefined ? {} : { reference: route.reference }),
    });
    const latency = fired.reduce((sum, rule) => sum + (rule.latencyMs ?? 0), 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    for (const rule of fired)
      for (const [name, value] of Object.entries(rule.headers ?? {})) res.setHeader(name, value);
    if (fired.some((rule) => rule.drop)) {
      req.socket.destroy();
      return;
    }
    const omitDigest = fired.some((rule) => rule.omitDigest);
    const failing = fired.find((rule) => rule.status !== undefined);
    if (failing) {
      await readBody(req);
      this.sendError(res, this.faultError(failing), omitDigest);
      return;
    }

    try {
      const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
      if (route.kind === 'token') {
        this.serveToken(req, res, url, body);
        return;
      }
      if (route.name !== undefined && !REPOSITORY_NAME.test(route.name)) {
        throw new OciError('NAME_INVALID', { detail: { Name: route.name } });
      }
      if (this.auth) this.auth.check(req, this.accessFor(route, method));
      const mountFrom = route.kind === 'upload' ? url.searchParams.get('from') : null;
      // a cross-repository mount reads the source repository, so it needs pull there too
      if (this.auth && mountFrom)
        this.auth.check(req, { type: 'repository', name: mountFrom, actions: ['pull'] });
      const answer = this.dispatch(req, url, route, method, body);
      this.send(res, answer.status, answer.headers, answer.body, omitDigest);
    } catch (error) {
      if (!(error instanceof OciError)) throw error;
      this.sendError(res, error, omitDigest);
    }
  }

  private faultError(rule: FaultRule): OciError {
    const status = rule.status!;
    const code = rule.code ?? defaultCode(status);
    const headers: Record<string, string> = {};
    if (rule.retryAfter !== undefined) headers['Retry-After'] = String(rule.retryAfter);
    return new OciError(code, { status, message: rule.message ?? OCI_ERRORS[code].message, headers });
  }

  private accessFor(route: RouteMatch, method: string): Access | undefined {
    if (route.kind === 'catalog') return { type: 'registry', name: 'catalog', actions: ['*'] };
    if (route.name === undefined) return undefined;
    const actions =
      method === 'GET' || method === 'HEAD' ? ['pull'] : method === 'DELETE' ? ['delete'] : ['pull', 'push'];
    return { type: 'repository', name: route.name, actions };
  }

  private serveToken(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    if (!this.auth) throw new OciError('UNSUPPORTED', { status: 404 });
    const form = req.method === 'POST' ? new URLSearchParams(body.toString('utf8')) : undefined;
    const answer = this.auth.issue(req, url, form);
    this.send(res, answer.status, { 'Content-Type': JSON_TYPE }, answer.body, false);
  }

  private send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    omitDigest: boolean,
  ): void {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const all: Record<string, string> = { ...API_VERSION, ...headers };
    if (omitDigest) delete all['Docker-Content-Digest'];
    if (all['Content-Length'] === undefined) all['Content-Length'] = String(bytes?.length ?? 0);
    res.writeHead(status, all);
    res.end(bytes);
  }

  private sendError(res: ServerResponse, error: OciError, omitDigest: boolean): void {
    this.send(res, error.status, { 'Content-Type': JSON_TYPE, ...error.headers }, error.body(), omitDigest);
  }

  private dispatch(req: IncomingMessage, url: URL, route: RouteMatch, method: string, body: Buffer): Reply {
    const base = `http://${req.headers.host ?? '127.0.0.1'}`;
    const name = route.name ?? '';
    const ref = route.reference ?? '';
    const unsupported = (): never => {
      throw new OciError('UNSUPPORTED', { message: `${method} is not supported on ${url.pathname}` });
    };

    switch (route.kind) {
      case 'ping':
        if (method !== 'GET' && method !== 'HEAD') return unsupported();
        return reply(200, { 'Content-Type': JSON_TYPE }, '{}');
      case 'catalog': {
        if (method !== 'GET') return unsupported();
        const { page, link } = paginate(this.storage.listRepositories(), url, '/v2/_catalog');
        return reply(
          200,
          { 'Content-Type': JSON_TYPE, ...(link ? { Link: link } : {}) },
          JSON.stringify({ repositories: page }),
        );
      }
      case 'tags': {
        if (method !== 'GET') return unsupported();
        const tags = this.storage.listTags(name);
        if (!tags) throw new OciError('NAME_UNKNOWN', { detail: { name } });
        const { page, link } = paginate(tags, url, `/v2/${name}/tags/list`);
        return reply(
          200,
          { 'Content-Type': JSON_TYPE, ...(link ? { Link: link } : {}) },
          JSON.stringify({ name, tags: page }),
        );
      }
      case 'manifest':
        return this.serveManifest(req, method, name, ref, body);
      case 'blob':
        return this.serveBlob(req, method, name, ref);
      case 'upload':
        return this.serveUpload(req, method, url, base, name, ref, body);
      default:
        throw new OciError('UNSUPPORTED', { status: 404, message: `no route for ${method} ${url.pathname}` });
    }
  }

  private serveManifest(
    req: IncomingMessage,
    method: string,
    name: string,
    ref: string,
    body: Buffer,
  ): Reply {
    const byDigest = isDigest(ref);
    if (!byDigest && !TAG.test(ref)) {
      throw ref.includes(':')
        ? new OciError('DIGEST_INVALID', { detail: ref })
        : new OciError('MANIFEST_INVALID', { message: 'manifest tag did not match URI', detail: ref });
    }
    if (method === 'GET' || method === 'HEAD') {
      const digest = byDigest ? ref : this.storage.getTag(name, ref);
      if (!digest) throw new OciError('MANIFEST_UNKNOWN', { detail: { Tag: ref } });
      if (req.headers['if-none-match'] === `"${digest}"`) return reply(304, {});
      const stored = this.storage.getManifest(name, digest);
      if (!stored) throw new OciError('MANIFEST_UNKNOWN', { detail: { Name: name, Revision: digest } });
      const answer = negotiate(
        this.storage,
        name,
        digest,
        stored,
        !byDigest,
        acceptedTypes(req.headers.accept),
      );
      return reply(
        200,
        {
          'Content-Type': answer.mediaType,
          'Content-Length': String(answer.bytes.length),
          'Docker-Content-Digest': answer.digest,
          Etag: `"${answer.digest}"`,
        },
        answer.bytes,
      );
    }
    if (method === 'PUT') {
      const digest = this.pushManifest(name, ref, body, req.headers['content-type']);
      return reply(201, { Location: `/v2/${name}/manifests/${digest}`, 'Docker-Content-Digest': digest });
    }
    if (method === 'DELETE') {
      if (!this.deleteEnabled) throw new OciError('UNSUPPORTED');
      const deleted = byDigest ? this.storage.deleteManifest(name, ref) : this.storage.deleteTag(name, ref);
      if (!deleted)
        throw new OciError('MANIFEST_UNKNOWN', { detail: byDigest ? { Revision: ref } : { Tag: ref } });
      return reply(202, {});
    }
    throw new OciError('UNSUPPORTED');
  }

  private serveBlob(req: IncomingMessage, method: string, name: string, digest: string): Reply {
    if (!isDigest(digest)) throw new OciError('DIGEST_INVALID', { detail: digest });
    const bytes = this.storage.isBlobLinked(name, digest) ? this.storage.getBlob(digest) : undefined;
    if (!bytes) throw new OciError('BLOB_UNKNOWN', { detail: digest });
    if (method === 'DELETE') {
      if (!this.deleteEnabled) throw new OciError('UNSUPPORTED');
      this.storage.unlinkBlob(name, digest);
      return reply(202, {});
    }
    if (method !== 'GET' && method !== 'HEAD') throw new OciError('UNSUPPORTED');
    const headers = {
      'Content-Type': 'application/octet-stream',
      'Docker-Content-Digest': digest,
      'Accept-Ranges': 'bytes',
      Etag: `"${digest}"`,
      'Cache-Control': 'max-age=31536000',
    };
    const rangeHeader = req.headers.range;
    if (method === 'GET' && rangeHeader) {
      const range = parseRange(rangeHeader, bytes.length);
      if (!range)
        throw new OciError('RANGE_INVALID', { headers: { 'Content-Range': `bytes */${bytes.length}` } });
      return reply(
        206,
        { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${bytes.length}` },
        bytes.subarray(range.start, range.end + 1),
      );
    }
    return reply(200, { ...headers, 'Content-Length': String(bytes.length) }, bytes);
  }

  private serveUpload(
    req: IncomingMessage,
    method: string,
    url: URL,
    base: string,
    name: string,
    id: string,
    body: Buffer,
  ): Reply {
    const finish = (digest: string) =>
      reply(201, { Location: `${base}/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
    const progress = (status: number, uuid: string, upload: Upload) =>
      reply(status, {
        Location: `${base}/v2/${name}/blobs/uploads/${uuid}`,
        Range: `0-${Math.max(0, upload.size - 1)}`,
        'Docker-Upload-UUID': uuid,
      });
    const store = (bytes: Buffer, expected: string | null): Reply => {
      if (!expected || !isDigest(expected)) throw new OciError('DIGEST_INVALID', { detail: expected ?? '' });
      if (sha256Digest(bytes) !== expected) throw new OciError('DIGEST_INVALID', { detail: expected });
      this.pushBlob(name, bytes);
      return finish(expected);
    };

    if (id === '') {
      if (method !== 'POST') throw new OciError('UNSUPPORTED');
      const mount = url.searchParams.get('mount');
      const from = url.searchParams.get('from');
      if (mount && from && isDigest(mount) && this.storage.isBlobLinked(from, mount)) {
        this.storage.linkBlob(name, mount);
        return finish(mount);
      }
      const digest = url.searchParams.get('digest');
      if (digest !== null) return store(body, digest);
      const uuid = randomUUID();
      const upload: Upload = { repository: name, chunks: body.length ? [body] : [], size: body.length };
      this.uploads.set(uuid, upload);
      return progress(202, uuid, upload);
    }

    const upload = this.uploads.get(id);
    if (!upload || upload.repository !== name) throw new OciError('BLOB_UPLOAD_UNKNOWN', { detail: id });
    switch (method) {
      case 'GET':
        return progress(204, id, upload);
      case 'DELETE':
        this.uploads.delete(id);
        return reply(204, {});
      case 'PATCH': {
        const contentRange = req.headers['content-range'];
        const start = contentRange ? Number(/^(?:bytes )?(\d+)-/.exec(contentRange)?.[1]) : upload.size;
        if (start !== upload.size) {
          throw new OciError('RANGE_INVALID', {
            detail: `expected chunk at offset ${upload.size}, got ${contentRange}`,
          });
        }
        upload.chunks.push(body);
        upload.size += body.length;
        return progress(202, id, upload);
      }
      case 'PUT': {
        if (body.length) upload.chunks.push(body);
        const bytes = Buffer.concat(upload.chunks);
        const answer = store(bytes, url.searchParams.get('digest'));
        this.uploads.delete(id);
        return answer;
      }
      default:
        throw new OciError('UNSUPPORTED');
    }
  }
}

/** Creates a registry and starts it on a port: the one-call form for tests. */
export async function startRegistry(options: RegistryOptions & ListenOptions = {}): Promise<RunningRegistry> {
  return new InProcessRegistry(options).start(options);
}
