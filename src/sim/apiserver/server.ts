import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import type { Clock } from '../../ports/clock.js';
import type { ObjectStore } from '../store/index.js';
import {
  coreVersions,
  DEFAULT_VERSION,
  group,
  groupList,
  resourceList,
  type VersionInfo,
  versionDocument,
} from './discovery.js';
import { type Faults, parseFaults } from './faults.js';
import { type LogSource, serveLogs } from './logs.js';
import { type DeleteOptions, ObjectApi, PATCH_TYPES, type PatchType } from './objects.js';
import { OPENAPI_V2_PROTOBUF, openApiGroupVersion, openApiRoot, openApiV2Protobuf } from './openapi.js';
import { decodeKubernetesProtobuf, PROTOBUF_TYPE } from './protobuf.js';
import { findResource, type ResourceInfo } from './resources.js';
import { ApiError, errors, successStatus } from './status.js';
import { buildTable, type IncludeObject } from './table/index.js';
import { serveWatch } from './watch.js';

export interface ApiServerOptions {
  readonly store: ObjectStore;
  readonly clock: Clock;
  /** Default: `127.0.0.1`. */
  readonly host?: string;
  /** Default: 0 (any free port). */
  readonly port?: number;
  /** Container logs for `pods/<name>/log`. Default: every container's log is empty. */
  readonly logSource?: LogSource;
  /** What `/version` reports. Default: K3s `v1.32.5+k3s1` on `linux/amd64`. */
  readonly version?: VersionInfo;
  /** Faults active from the start. Default: none. */
  readonly faults?: Faults;
  /** Clock time between watch bookmarks. Default: 60 s, as the real server. */
  readonly bookmarkIntervalMs?: number;
  /** Source of randomness for fault rates. Default: `Math.random`. */
  readonly random?: () => number;
}

/** A running simulated API server. */
export interface ApiServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Replaces the active faults (`{}` clears them). */
  setFaults(faults: Faults): void;
  faults(): Faults;
  /** Ends every open watch stream now, as when the connection to the server drops. */
  dropWatches(): void;
  close(): Promise<void>;
}

const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/** Body encodings the server reads (plus the protobuf kinds in protobuf.ts). */
const BODY_TYPES = ['application/json', 'application/yaml'];
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Starts the simulated API server; creates the four standard namespaces if they are missing. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const handler = new Handler(options);
  handler.bootstrap();
  const server = createServer((req, res) => {
    handler.handle(req, res).catch((error: unknown) => handler.fail(res, error));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  handler.serverAddress = `${host}:${port}`;
  return {
    url: `http://${host}:${port}`,
    port,
    setFaults: (faults) => {
      handler.activeFaults = parseFaults(faults);
    },
    faults: () => handler.activeFaults,
    dropWatches: () => handler.dropWatches(),
    close: () => closeServer(server, handler),
  };
}

function closeServer(server: Server, handler: Handler): Promise<void> {
  handler.dropWatches();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

interface Route {
  readonly info: ResourceInfo;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

class Handler {
  activeFaults: Faults;
  serverAddress = '';
  private readonly objects: ObjectApi;
  private readonly watches = new Set<() => void>();
  private readonly random: () => number;

  constructor(private readonly options: ApiServerOptions) {
    this.objects = new ObjectApi(options.store, options.clock);
    this.activeFaults = parseFaults(options.faults ?? {});
    this.random = options.random ?? Math.random;
  }

  bootstrap(): void {
    const { store } = this.options;
    for (const name of INITIAL_NAMESPACES) {
      if (!store.get('namespaces', undefined, name)) {
        store.create('namespaces', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
          spec: { finalizers: ['kubernetes'] },
          status: { phase: 'Active' },
        });
      }
      this.objects.populateNamespace(name);
    }
  }

  dropWatches(): void {
    for (const end of [...this.watches]) end();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/_sim/faults' || path === '/_sim/faults/drop-watches') return this.admin(req, res, path);
    const faults = this.activeFaults;
    if (faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));

    const meta = this.meta(path, url);
    if (meta !== undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotAllowed();
      if (meta instanceof RawBody) {
        res.writeHead(200, { 'Content-Type': meta.type, 'Content-Length': meta.bytes.length });
        res.end(meta.bytes);
        return;
      }
      return typeof meta === 'string' ? sendText(res, 200, meta) : sendJson(res, 200, meta);
    }
    const route = parseRoute(path);
    if (!route) throw errors.notFoundPath();
    if (faults.errorRate && this.random() < faults.errorRate)
      throw errors.internal('injected fault: API server error');
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    if (write && faults.conflictRate && this.random() < faults.conflictRate) {
      throw errors.conflict(route.info, route.name ?? '');
    }
    checkAccept(req);
    await this.resource(req, res, url, route);
  }

  /** Non-resource endpoints: version, health, discovery, OpenAPI. Undefined when not one. */
  private meta(path: string, url: URL): unknown {
    switch (path) {
      case '/version':
        return versionDocument(this.options.version ?? DEFAULT_VERSION);
      case '/healthz':
      case '/readyz':
      case '/livez':
        return 'ok';
      case '/api':
        return coreVersions(this.serverAddress);
      case '/apis':
        return groupList();
      case '/openapi/v3':
        return openApiRoot();
    }
    if (path === '/openapi/v2') {
      return new RawBody(
        OPENAPI_V2_PROTOBUF,
        openApiV2Protobuf((this.options.version ?? DEFAULT_VERSION).gitVersion),
      );
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openApiGroupVersion(path.slice('/openapi/v3/'.length));
      if (!doc) throw errors.notFoundPath();
      return doc;
    }
    void url;
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'api' && parts.length === 2) return resourceList('', parts[1]!) ?? throwNotFound();
    if (parts[0] === 'apis' && parts.length === 2) return group(parts[1]!) ?? throwNotFound();
    if (parts[0] === 'apis' && parts.length === 3)
      return resourceList(parts[1]!, parts[2]!) ?? throwNotFound();
    return undefined;
  }

  private async resource(req: IncomingMessage, res: ServerResponse, url: URL, route: Route): Promise<void> {
    const { info, namespace, name, subresource } = route;
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    const dryRun = q.getAll('dryRun').includes('All');
    const table = tableRequest(req.headers.accept, q);
    const { clock } = this.options;

    if (subresource !== undefined) {
      if (!name || !info.subresources.includes(subresource as never)) throw errors.notFoundPath();
      if (subresource === 'log') {
        if (method !== 'GET') throw errors.methodNotAllowed();
        const pod = this.objects.get(info, namespace, name);
        const source = this.options.logSource ?? (() => '');
        return serveLogs(req, res, this.options.store, source, pod, q);
      }
      if (subresource === 'scale') {
        if (method === 'GET') return sendJson(res, 200, this.objects.getScale(info, namespace, name));
        if (method === 'PUT')
          return sendJson(
            res,
            200,
            this.objects.updateScale(info, namespace, name, await readBody(req), { dryRun }),
          );
        if (method === 'PATCH') {
          const type = patchType(req);
          return sendJson(
            res,
            200,
            this.objects.patchScale(info, namespace, name, type, await readBody(req), { dryRun }),
          );
        }
        throw errors.methodNotAllowed();
      }
      // status
      if (method === 'GET') return sendJson(res, 200, this.objects.get(info, namespace, name));
      if (method === 'PUT') {
        return sendJson(
          res,
          200,
          this.objects.update(info, namespace, name, await readBody(req), { dryRun, subresource: 'status' }),
        );
      }
      if (method === 'PATCH') {
        const type = patchType(req);
        return sendJson(
          res,
          200,
          this.objects.patch(info, namespace, name, type, await readBody(req), {
            dryRun,
            subresource: 'status',
          }),
        );
      }
      throw errors.methodNotAllowed();
    }

    if (name === undefined) {
      const query = {
        labelSelector: q.get('labelSelector') ?? undefined,
        fieldSelector: q.get('fieldSelector') ?? undefined,
      };
      if (method === 'GET' && (q.get('watch') === 'true' || q.get('watch') === '1')) {
        const timeout = q.get('timeoutSeconds');
        return serveWatch(
          req,
          res,
          {
            info,
            namespace,
            ...query,
            resourceVersion: q.get('resourceVersion') ?? undefined,
            allowBookmarks: q.get('allowWatchBookmarks') === 'true',
            sendInitialEvents: q.get('sendInitialEvents') === 'true',
            timeoutSeconds: timeout ? Number(timeout) : undefined,
            asTable: table !== undefined,
          },
          {
            store: this.options.store,
            objects: this.objects,
            clock,
            bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 60_000,
            dropAfterMs: this.activeFaults.dropWatchesAfterMs,
            forceGone: !!this.activeFaults.goneRate && this.random() < this.activeFaults.goneRate,
            track: (end) => {
              this.watches.add(end);
              return () => this.watches.delete(end);
            },
          },
        );
      }
      if (method === 'GET') {
        const limit = q.get('limit');
        const result = this.objects.list(info, namespace, {
          ...query,
          limit: limit ? Number(limit) : undefined,
          continueToken: q.get('continue') ?? undefined,
        });
        const listMeta = {
          resourceVersion: result.resourceVersion,
          ...(result.continueToken
            ? { continue: result.continueToken, remainingItemCount: result.remainingItemCount }
            : {}),
        };
        if (table) {
          return sendJson(
            res,
            200,
            buildTable(info.kind, result.items, {
              now: clock.now(),
              include: table,
              resourceVersion: result.resourceVersion,
              ...(result.continueToken ? { continueToken: result.continueToken } : {}),
            }),
          );
        }
        const head = JSON.stringify({
          kind: `${info.kind}List`,
          apiVersion: info.group ? `${info.group}/${info.version}` : info.version,
          metadata: listMeta,
        });
        return sendList(
          res,
          head,
          result.items.map((o) => this.objects.json(info, o)),
        );
      }
      if (method === 'POST')
        return sendJson(res, 201, this.objects.create(info, namespace, await readBody(req), { dryRun }));
      if (method === 'DELETE') {
        const options = await deleteOptions(req, q);
        const items = this.objects.deleteCollection(info, namespace, query, options);
        return sendJson(res, 200, {
          kind: `${info.kind}List`,
          apiVersion: info.group ? `${info.group}/${info.version}` : info.version,
          metadata: { resourceVersion: this.options.store.resourceVersion() },
          items,
        });
      }
      throw errors.methodNotAllowed();
    }

    switch (method) {
      case 'GET': {
        const object = this.objects.get(info, namespace, name);
        if (table) {
          return sendJson(
            res,
            200,
            buildTable(info.kind, [object], {
              now: clock.now(),
              include: table,
              resourceVersion: object.metadata.resourceVersion ?? '',
            }),
          );
        }
        return sendJson(res, 200, object);
      }
      case 'PUT':
        return sendJson(
          res,
          200,
          this.objects.update(info, namespace, name, await readBody(req), { dryRun }),
        );
      case 'PATCH': {
        const type = patchType(req);
        return sendJson(
          res,
          200,
          this.objects.patch(info, namespace, name, type, await readBody(req), { dryRun }),
        );
      }
      case 'DELETE': {
        const options = await deleteOptions(req, q);
        const { object, gone } = this.objects.delete(info, namespace, name, { ...options, dryRun });
        // pods answer with the object; other kinds with a Status once they are gone
        if (gone && info.kind !== 'Pod')
          return sendJson(res, 200, successStatus(info, name, object.metadata.uid));
        return sendJson(res, 200, object);
      }
      default:
        throw errors.methodNotAllowed();
    }
  }

  private async admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      if (path === '/_sim/faults/drop-watches') {
        if (req.method !== 'POST') throw errors.methodNotAllowed();
        const count = this.watches.size;
        this.dropWatches();
        return sendJson(res, 200, { dropped: count });
      }
      if (req.method === 'PUT' || req.method === 'POST') this.activeFaults = parseFaults(await readBody(req));
      else if (req.method === 'DELETE') this.activeFaults = {};
      else if (req.method !== 'GET') throw errors.methodNotAllowed();
      sendJson(res, 200, this.activeFaults);
    } catch (error) {
      if (error instanceof TypeError) throw errors.badRequest(error.message);
      throw error;
    }
  }

  fail(res: ServerResponse, error: unknown): void {
    const status =
      error instanceof ApiError
        ? error.status
        : errors.internal(error instanceof Error ? error.message : String(error)).status;
    if (res.headersSent) {
      res.end();
      return;
    }
    sendJson(res, status.code, status);
  }
}

class RawBody {
  constructor(
    readonly type: string,
    readonly bytes: Uint8Array,
  ) {}
}

function throwNotFound(): never {
  throw errors.notFoundPath();
}

/**
 * `/api/v1/[namespaces/<ns>/]<plural>[/<name>[/<sub>]]` and the same under `/apis/<g>/<v>`.
 * `/api/v1/namespaces/<name>[/status]` addresses a Namespace itself.
 */
export function parseRoute(path: string): Route | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return undefined;
  const info = findResource(group, version, rest[0]!);
  if (!info) return undefined;
  if (namespace !== undefined && !info.namespaced) return undefined;
  return { info, namespace, name: rest[1], subresource: rest[2] };
}

/** `includeObject` for a Table request, or undefined when the client wants plain JSON. */
function tableRequest(accept: string | undefined, q: URLSearchParams): IncludeObject | undefined {
  if (!accept?.includes('as=Table')) return undefined;
  const wanted = accept.split(',').map((part) => part.trim());
  const first = wanted.find(
    (part) => part.includes('as=Table') && part.includes('g=meta.k8s.io') && part.includes('v=v1'),
  );
  if (!first) return undefined;
  const include = q.get('includeObject');
  return include === 'None' || include === 'Object' ? include : 'Metadata';
}

function checkAccept(req: IncomingMessage): void {
  const accept = req.headers.accept;
  if (!accept) return;
  const ok = accept.split(',').some((part) => {
    const type = part.split(';')[0]!.trim();
    return type === 'application/json' || type === '*/*' || type === 'application/*' || type === 'text/plain';
  });
  if (!ok) throw errors.notAcceptable('application/json');
}

function patchType(req: IncomingMessage): PatchType {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  if ((PATCH_TYPES as readonly string[]).includes(type)) return type as PatchType;
  throw errors.unsupportedMediaType(type, [...PATCH_TYPES].join(', '));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw errors.badRequest(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
  if (type === PROTOBUF_TYPE && raw.length) return decodeKubernetesProtobuf(raw);
  const text = raw.toString('utf8');
  if (!text.trim()) return undefined;
  if (!BODY_TYPES.includes(type) && !(PATCH_TYPES as readonly string[]).includes(type)) {
    throw errors.unsupportedMediaType(type, BODY_TYPES.join(', '));
  }
  try {
    if (type === 'application/yaml') return parseYaml(text);
    return JSON.parse(text);
  } catch (error) {
    throw errors.badRequest(`json: cannot parse request body: ${(error as Error).message}`);
  }
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const body = ((await readBody(req)) ?? {}) as Record<string, unknown>;
  const grace = body.gracePeriodSeconds ?? q.get('gracePeriodSeconds') ?? undefined;
  const policy = body.propagationPolicy ?? q.get('propagationPolicy') ?? undefined;
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy as string)) {
    throw errors.badRequest(
      `propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  const orphan = body.orphanDependents ?? q.get('orphanDependents');
  const dryRun =
    (Array.isArray(body.dryRun) && body.dryRun.includes('All')) || q.getAll('dryRun').includes('All');
  return {
    gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
    propagationPolicy: (policy ??
      (orphan === true || orphan === 'true' ? 'Orphan' : undefined)) as DeleteOptions['propagationPolicy'],
    preconditions: body.preconditions as DeleteOptions['preconditions'],
    dryRun,
  };
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  sendRawJson(res, code, JSON.stringify(body));
}

/** Bytes of a list body written per `write`: small enough to stay out of V8's large-object space. */
const LIST_CHUNK_CHARS = 64 * 1024;

/**
 * A list body joined from each item's cached JSON: the same bytes as stringifying the whole list,
 * written in small chunks as the socket drains, so a 24 MB pod list is neither serialized afresh
 * nor held as one string and one buffer (allocations that size bring on full garbage collections
 * in a large heap).
 */
async function sendList(res: ServerResponse, head: string, items: readonly string[]): Promise<void> {
  const open = `${head.slice(0, -1)},"items":[`;
  const close = ']}';
  let length = Buffer.byteLength(open) + close.length + Math.max(0, items.length - 1);
  for (const item of items) length += Buffer.byteLength(item);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': length });
  let chunk = open;
  for (let i = 0; i < items.length; i++) {
    chunk += i === 0 ? items[i]! : `,${items[i]!}`;
    if (chunk.length < LIST_CHUNK_CHARS) continue;
    const flushed = res.write(chunk);
    chunk = '';
    if (!flushed && !(await drained(res))) return;
  }
  res.end(chunk + close);
}

/** Resolves true once `res` can take more, false when the connection closed first. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

function sendRawJson(res: ServerResponse, code: number, text: string): void {
  // Encoded once: `Buffer.byteLength` and then `end(text)` would walk a large list twice.
  const bytes = Buffer.from(text);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': bytes.length });
  res.end(bytes);
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
