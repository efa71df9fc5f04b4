import type { Agent as HttpAgent, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { isLoopbackRegistry } from '../../core/image-ref/index.js';
import { isKubefreshError, KubefreshError } from '../../errors/index.js';
import type { ErrorTarget } from './errors.js';
import {
  classifyNetworkError,
  isPlainHttpAnswer,
  isTransientNetworkError,
  rateLimitedError,
  unreachableError,
} from './errors.js';
import { HeadPipeline, type PipelineOrigin, PipelineUnsupported } from './head-pipeline.js';
import { IdleTimeouts } from './idle-timeouts.js';
import { RegistryHealth, TRIP_AFTER } from './registry-health.js';

/** Rate-limit state a registry reported (Docker Hub: `ratelimit-limit: 100;w=21600`). */
export interface RateLimitInfo {
  readonly registry: string;
  readonly limit?: string;
  readonly remaining?: string;
  readonly source?: string;
}

export interface TransportOptions {
  /** Hosts (`host[:port]`) reached over plain HTTP, or HTTPS without verification. Default: none. */
  readonly insecureRegistries?: readonly string[];
  /** Extra CA certificates (PEM) trusted for HTTPS registries, e.g. from `--registry-ca`. */
  readonly ca?: string;
  /** Time limit in ms to connect, to receive the response headers, and between body chunks. Default: 30 000. */
  readonly timeoutMs?: number;
  /** Retries after a 429, a 5xx or a dropped connection. Default: 3. */
  readonly retries?: number;
  /** First back-off in ms; doubles each retry, with full jitter. Default: 200. */
  readonly retryBaseMs?: number;
  /** Longest single wait, also the longest `Retry-After` honoured. Default: 10 000. */
  readonly retryMaxMs?: number;
  /** Requests in flight per registry. Default: 16. */
  readonly maxConcurrency?: number;
  /** Waits between retries; injectable so tests run fast. Default: real timers. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default: Math.random. */
  readonly random?: () => number;
  /** DNS override (tests map made-up names to 127.0.0.1). Default: the system resolver. */
  readonly lookup?: LookupFunction;
  /** Called for every response carrying RateLimit headers. */
  readonly onRateLimit?: (info: RateLimitInfo) => void;
  /** Called once per HTTP exchange, for counting and `-v` tracing. */
  readonly onRequest?: (event: { method: string; url: string; status: number | undefined }) => void;
}

export interface TransportRequest {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** Path and query on the registry (`/v2/app/manifests/1.0`), or an absolute URL (token realm, upload location). */
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array | string;
  readonly target: ErrorTarget;
}

/** A response with its body read (bodies are small: manifests, errors, tokens). */
export interface TransportResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly body: Uint8Array;
  readonly url: string;
}

const DEFAULTS = {
  timeoutMs: 30_000,
  retries: 3,
  retryBaseMs: 200,
  retryMaxMs: 10_000,
  // Enough parallel HEADs to hide latency, few enough not to trip per-client limits on shared registries.
  maxConcurrency: 16,
};
/**
 * Connections per origin for pipelined HEADs. The concurrency cap still bounds requests in flight,
 * so 16 of them go four deep on four connections: measured faster than 16 connections one deep.
 */
const PIPELINE_CONNECTIONS = 4;
/** Manifests and error bodies are small; anything bigger than this is not what we asked for. */
const MAX_BODY_BYTES = 8 << 20;

/** Loopback registries (`localhost`, 127.0.0.0/8, `[::1]`) as containerd's `IsLocalhost` sees them. */
export const isLoopbackHost: (hostPort: string) => boolean = isLoopbackRegistry;

class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * HTTP to registries: picks the scheme per host, caps concurrency per host, times out, retries
 * 429/5xx and dropped connections with exponential back-off and full jitter (honouring
 * `Retry-After`), records RateLimit headers, and turns network failures into typed errors.
 * Connections are kept alive and reused (node:http agents), which is most of the speed of a bulk
 * resolve.
 */
export class Transport {
  private readonly options: TransportOptions;
  private readonly insecure: ReadonlySet<string>;
  private readonly semaphores = new Map<string, Semaphore>();
  private readonly health = new RegistryHealth();
  private readonly loopbackNames = new Map<string, Promise<boolean>>();
  /** Scheme per loopback or insecure host, once a request has found it out. */
  private readonly schemes = new Map<string, 'https' | 'http'>();
  /** Per host, the first request while it is finding out the scheme. */
  private readonly firsts = new Map<string, Promise<void>>();
  private stack: Promise<HttpStack> | undefined;
  /** The stack once loaded, so that each request does not wait a turn for it. */
  private loaded: HttpStack | undefined;
  /** Parsed origins (`http://127.0.0.1:5000`) by their text: most requests share a handful. */
  private readonly origins = new Map<string, ParsedOrigin>();
  private readonly idle = new IdleTimeouts();
  private readonly heads: HeadPipeline;

  constructor(options: TransportOptions = {}) {
    this.options = options;
    this.insecure = new Set((options.insecureRegistries ?? []).map((h) => h.toLowerCase()));
    this.heads = new HeadPipeline({
      connections: PIPELINE_CONNECTIONS,
      timeoutMs: this.timeoutMs,
      idle: this.idle,
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    });
  }

  get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULTS.timeoutMs;
  }

  /** Closes kept-alive connections so the process can exit at once. */
  async close(): Promise<void> {
    this.heads.close();
    this.idle.stop();
    if (!this.stack) return;
    const { plain, verified, unverified } = await this.stack;
    for (const agent of [plain, verified, unverified]) agent.destroy();
  }

  private loadStack(): Promise<HttpStack> {
    // Node's own http/https rather than undici: they start warm (they are in Node's start-up
    // snapshot), which is most of a one-shot CLI's cost for a bulk resolve. Imported lazily so
    // offline verbs do not load them.
    this.stack ??= Promise.all([import('node:http'), import('node:https')]).then(([http, https]) => {
      const common = { keepAlive: true, maxSockets: this.options.maxConcurrency ?? DEFAULTS.maxConcurrency };
      const tls = this.options.ca === undefined ? {} : { ca: this.options.ca };
      return {
        http: http.request,
        https: https.request,
        plain: new http.Agent(common),
        verified: new https.Agent({ ...common, ...tls }),
        unverified: new https.Agent({ ...common, ...tls, rejectUnauthorized: false }),
      };
    });
    void this.stack.then((stack) => {
      this.loaded = stack;
    });
    return this.stack;
  }

  /** Whether the scheme of `host` is found out (loopback and insecure hosts) rather than HTTPS. */
  private choosesScheme(host: string): boolean {
    return this.insecure.has(host) || isLoopbackHost(host);
  }

  /**
   * The origin (`https://host:port`) of a registry. For a loopback or insecure host whose scheme
   * no request has found out yet, it probes `/v2/` once; {@link request} needs no probe.
   */
  async origin(registry: string, target: ErrorTarget): Promise<string> {
    const host = registry.toLowerCase();
    if (!this.choosesScheme(host)) return `https://${registry}`;
    await this.firsts.get(host);
    const known = this.schemes.get(host);
    if (known) return `${known}://${registry}`;
    await this.guess(registry, { method: 'GET', url: '/v2/', target });
    return `${this.schemes.get(host) ?? 'https'}://${registry}`;
  }

  /**
   * One HTTP exchange with retries; `registry` selects the concurrency pool and TLS policy. On a
   * loopback or insecure host the first request is itself the scheme probe, as containerd does:
   * HTTPS first, and plain HTTP when a plain-HTTP server answers the TLS handshake. Requests that
   * arrive meanwhile wait for it, then use the scheme it found, so finding it costs no request.
   */
  async request(registry: string, request: TransportRequest): Promise<TransportResponse> {
    if (!request.url.startsWith('/')) return this.exchange(registry, request, request.url);
    const host = registry.toLowerCase();
    if (!this.choosesScheme(host))
      return this.exchange(registry, request, `https://${registry}${request.url}`);
    const pending = this.firsts.get(host);
    if (pending) await pending;
    const known = this.schemes.get(host);
    if (known) return this.exchange(registry, request, `${known}://${registry}${request.url}`);
    // After a first request that failed (registry down), the others try on their own, together,
    // rather than one after another each waiting out the same timeout.
    if (pending) return this.guess(registry, request);
    const first = this.guess(registry, request);
    const settled = first.then(
      () => undefined,
      () => undefined,
    );
    this.firsts.set(host, settled);
    void settled.then(() => this.firsts.delete(host));
    return first;
  }

  /** Sends `request` over HTTPS, then over HTTP if a plain-HTTP server answered; remembers which. */
  private async guess(registry: string, request: TransportRequest): Promise<TransportResponse> {
    const host = registry.toLowerCase();
    let response: TransportResponse;
    try {
      response = await this.exchange(registry, request, `https://${registry}${request.url}`);
    } catch (err) {
      if (!isPlainHttpAnswer(err)) throw err;
      // Known from the handshake alone; a failure over HTTP is the registry's, not the scheme's.
      this.schemes.set(host, 'http');
      return this.exchange(registry, request, `http://${registry}${request.url}`);
    }
    this.schemes.set(host, 'https');
    return response;
  }

  /**
   * The headers for `url`: a registry's credentials go only to that registry's own host (an upload
   * `Location` or a redirect elsewhere gets none), and never in clear text across a network: a
   * plain-HTTP request carrying them is refused unless the host is loopback by name or resolves
   * (through `--resolve`, or DNS) to a loopback address, as a sim's `registry.sim` does.
   */
  private async credentialsFor(
    url: string,
    registry: string,
    headers: Record<string, string>,
    target: TransportRequest['target'],
  ): Promise<Record<string, string>> {
    if (headers.authorization === undefined) return headers;
    const parsed = new URL(url);
    if (parsed.host.toLowerCase() !== registry.toLowerCase()) {
      const { authorization: _dropped, ...rest } = headers;
      return rest;
    }
    if (parsed.protocol !== 'http:' || isLoopbackHost(parsed.host)) return headers;
    if (await this.resolvesToLoopback(parsed.hostname)) return headers;
    throw new KubefreshError(
      'REGISTRY_INSECURE_CREDENTIALS',
      `refusing to send credentials for ${target.registry} over plain HTTP to ${parsed.host}`,
      {
        hint: 'serve the registry (and its token service) over HTTPS, or log out of it for anonymous pulls',
      },
    );
  }

  /** Whether `hostname` resolves, the way connections resolve it, to loopback addresses only. */
  private resolvesToLoopback(hostname: string): Promise<boolean> {
    let known = this.loopbackNames.get(hostname);
    if (known === undefined) {
      known = new Promise<boolean>((resolve) => {
        const answer = (error: Error | null, address: string | { address: string }[]) => {
          const addresses = typeof address === 'string' ? [address] : (address ?? []).map((a) => a.address);
          resolve(
            error === null &&
              addresses.length > 0 &&
              addresses.every((a) => isLoopbackHost(a.includes(':') ? `[${a}]` : a)),
          );
        };
        const lookup = this.options.lookup;
        if (lookup !== undefined) lookup(hostname, { all: true }, answer as never);
        else void import('node:dns').then((dns) => dns.lookup(hostname, { all: true }, answer));
      });
      this.loopbackNames.set(hostname, known);
    }
    return known;
  }

  /** One HTTP exchange to `url` with retries after 429, 5xx and dropped connections. */
  private async exchange(
    registry: string,
    request: TransportRequest,
    url: string,
  ): Promise<TransportResponse> {
    const retries = this.options.retries ?? DEFAULTS.retries;
    const idempotent = request.method !== 'POST' && request.method !== 'PATCH';
    for (let attempt = 0; ; attempt++) {
      let response: TransportResponse;
      try {
        response = await this.send({ ...request, url }, registry, attempt === 0);
      } catch (err) {
        if (idempotent && attempt < retries && isTransientNetworkError(err)) {
          await this.wait(this.backoff(attempt));
          continue;
        }
        throw err;
      }
      const retryable =
        response.status === 429 ||
        response.status === 502 ||
        response.status === 503 ||
        response.status === 504 ||
        response.status === 500;
      if (!retryable) this.health.succeeded(registry);
      const after = retryAfterMs(response.headers);
      const delay = after ?? this.backoff(attempt);
      if (retryable) this.health.failed(registry, response.status, delay, after);
      const requests = this.health.requests(registry);
      if (!retryable || attempt >= retries) {
        if (response.status === 429) throw rateLimitedError(request.target, attempt + 1, after, requests);
        return response;
      }
      const max = this.options.retryMaxMs ?? DEFAULTS.retryMaxMs;
      if (after !== undefined && after > max) {
        // Waiting longer than we are willing to is the same as failing now, minus the wait.
        if (response.status === 429) throw rateLimitedError(request.target, attempt + 1, after, requests);
        return response;
      }
      // Every other request to this registry waits as long, through the shared gate.
      await this.wait(delay);
    }
  }

  /** The error for a request the run no longer sends: the registry failed too often in a row. */
  private givenUp(
    registry: string,
    request: TransportRequest,
    url: string,
    last: { readonly status: number; readonly retryAfterMs?: number },
  ): KubefreshError {
    const requests = this.health.requests(registry);
    if (last.status === 429) return rateLimitedError(request.target, 0, last.retryAfterMs, requests);
    return unreachableError(
      request.target,
      'server',
      redactQuery(url),
      `it answered HTTP ${last.status} ${TRIP_AFTER} times in a row, so kubefresh stopped asking it in this run (${requests} requests made)`,
    );
  }

  private backoff(attempt: number): number {
    const base = this.options.retryBaseMs ?? DEFAULTS.retryBaseMs;
    const cap = Math.min(this.options.retryMaxMs ?? DEFAULTS.retryMaxMs, base * 2 ** attempt);
    // Full jitter: many clients retrying together spread out instead of arriving in waves.
    return Math.floor((this.options.random ?? Math.random)() * cap);
  }

  private wait(ms: number): Promise<void> {
    if (this.options.sleep) return this.options.sleep(ms);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  private pool(registry: string): Semaphore {
    let semaphore = this.semaphores.get(registry);
    if (!semaphore) {
      semaphore = new Semaphore(this.options.maxConcurrency ?? DEFAULTS.maxConcurrency);
      this.semaphores.set(registry, semaphore);
    }
    return semaphore;
  }

  private async send(
    request: TransportRequest & { url: string },
    registry: string,
    first = true,
  ): Promise<TransportResponse> {
    const stack = this.loaded ?? (await this.loadStack());
    const insecure = this.insecure.has(registry.toLowerCase());
    return this.pool(registry).run(async () => {
      // Checked once a slot is ours: requests queued behind a failing registry learn it here.
      const gate = this.health.before(registry);
      if ('tripped' in gate) throw this.givenUp(registry, request, request.url, gate.tripped);
      // A first attempt waits out the registry's shared back-off; a retry has waited its own.
      if (first && gate.waitMs > 0) await this.wait(gate.waitMs);
      let url = request.url;
      let headers: Record<string, string> = { 'user-agent': 'kubefresh', ...request.headers };
      let status: number | undefined;
      try {
        for (let hop = 0; ; hop++) {
          headers = await this.credentialsFor(url, registry, headers, request.target);
          const answer = await this.answer(stack, insecure, url, request, headers);
          // Counted once answered: a TLS probe a plain-HTTP registry refuses is not a request it saw.
          this.health.sent(registry);
          status = answer.status;
          const view = headerView(answer.headers);
          const location = view.get('location');
          if (REDIRECTS.has(status) && location && hop < MAX_REDIRECTS && request.method !== 'PUT') {
            answer.discard();
            const next = new URL(location, url);
            // An HTTPS registry sending us to plain HTTP elsewhere: what came back could be anyone's.
            if (
              new URL(url).protocol === 'https:' &&
              next.protocol === 'http:' &&
              !isLoopbackHost(next.host)
            ) {
              throw new KubefreshError(
                'REGISTRY_INSECURE_REDIRECT',
                `registry ${request.target.registry} redirected an HTTPS request to plain HTTP (${redactQuery(next.origin)}); refusing to follow it`,
                {
                  hint: 'a registry behind a misconfigured proxy does this; fix its redirect to stay on HTTPS',
                },
              );
            }
            // Credentials are for the registry, never for wherever it redirects (blob storage, CDN).
            if (next.origin !== new URL(url).origin) {
              const { authorization: _dropped, ...rest } = headers;
              headers = rest;
            }
            url = next.toString();
            continue;
          }
          const body = await answer.read();
          this.recordRateLimit(registry, view);
          return { status, headers: view, body, url };
        }
      } catch (err) {
        if (isKubefreshError(err)) throw err;
        throw classifyNetworkError(err, request.target, redactQuery(url), this.timeoutMs);
      } finally {
        this.options.onRequest?.({ method: request.method, url: redactQuery(url), status });
      }
    });
  }

  /**
   * One exchange, answered once its headers are in. Body-less HEADs to plain-HTTP origins go
   * pipelined (see {@link HeadPipeline}); everything else, and any origin the pipeline gave up
   * on, through Node's client.
   */
  private async answer(
    stack: HttpStack,
    insecure: boolean,
    url: string,
    request: TransportRequest,
    headers: Record<string, string>,
  ): Promise<Answer> {
    const { origin, path } = this.split(url);
    if (request.method === 'HEAD' && request.body === undefined && origin.pipeline !== undefined) {
      if (this.heads.supports(origin.pipeline)) {
        try {
          const answer = await this.heads.head(origin.pipeline, path, headers);
          return { ...answer, read: async () => EMPTY, discard: () => undefined };
        } catch (err) {
          if (!(err instanceof PipelineUnsupported)) throw err;
        }
      }
    }
    const { response, touch } = await this.roundTrip(stack, insecure, origin, path, request, headers);
    return {
      status: response.statusCode ?? 0,
      headers: response.headers,
      read: () => readCapped(response, request.method === 'HEAD', touch),
      discard: () => void response.resume(),
    };
  }

  /** One request on a kept-alive connection; resolves with the response once its headers are in. */
  private roundTrip(
    stack: HttpStack,
    insecure: boolean,
    origin: ParsedOrigin,
    path: string,
    request: TransportRequest,
    headers: Record<string, string>,
  ): Promise<{ response: IncomingMessage; touch: () => void }> {
    const https = origin.protocol === 'https:';
    const send = https ? stack.https : stack.http;
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const outgoing: OutgoingHttpHeaders = { ...headers };
    if (body !== undefined) outgoing['content-length'] = String(body.byteLength);
    return new Promise((resolve, reject) => {
      const req = send({
        protocol: origin.protocol,
        hostname: origin.hostname,
        port: origin.port,
        path,
        method: request.method,
        headers: outgoing,
        agent: https ? (insecure ? stack.unverified : stack.verified) : stack.plain,
        ...(this.options.lookup === undefined ? {} : { lookup: this.options.lookup }),
      });
      // One shared timer watches every exchange (connect, headers, then each body chunk): a
      // socket timer per request costs more than the requests themselves in a bulk resolve.
      let answer: IncomingMessage | undefined;
      const watch = this.idle.watch(this.timeoutMs, (phase) =>
        // Once headers are in, the error must reach whoever reads the body.
        (answer ?? req).destroy(Object.assign(new Error(`${phase} timeout`), { code: 'ETIMEDOUT' })),
      );
      req.on('response', (response) => {
        answer = response;
        watch.touch('body');
        response.on('close', watch.done);
        resolve({ response, touch: () => watch.touch('body') });
      });
      req.on('error', (err) => {
        watch.done();
        reject(err);
      });
      req.end(body);
    });
  }

  /** An absolute URL's origin (parsed once per origin) and its path with query. */
  private split(url: string): { origin: ParsedOrigin; path: string } {
    const slash = url.indexOf('/', url.indexOf('//') + 2);
    const originText = slash < 0 ? url : url.slice(0, slash);
    const rest = slash < 0 ? '/' : url.slice(slash);
    let origin = this.origins.get(originText);
    if (!origin) {
      const parsed = new URL(originText);
      const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
      const port = parsed.port === '' ? undefined : Number(parsed.port);
      origin = {
        protocol: parsed.protocol,
        // Node wants a bare IPv6 address, without the brackets a URL carries.
        hostname,
        port,
        ...(parsed.protocol === 'http:'
          ? { pipeline: { host: parsed.host, hostname, port: port ?? 80 } }
          : {}),
      };
      this.origins.set(originText, origin);
    }
    // Paths we build are already safe; a Location or realm with spaces or non-ASCII is normalized.
    if (!SAFE_PATH.test(rest)) {
      const parsed = new URL(url);
      return { origin, path: `${parsed.pathname}${parsed.search}` };
    }
    return { origin, path: rest };
  }

  private recordRateLimit(registry: string, headers: { get(name: string): string | null }): void {
    const limit = headers.get('ratelimit-limit');
    const remaining = headers.get('ratelimit-remaining');
    if (!this.options.onRateLimit || (limit === null && remaining === null)) return;
    const source = headers.get('docker-ratelimit-source');
    this.options.onRateLimit({
      registry,
      ...(limit === null ? {} : { limit }),
      ...(remaining === null ? {} : { remaining }),
      ...(source === null ? {} : { source }),
    });
  }
}

/** Reads a response body up to {@link MAX_BODY_BYTES}; `touch` marks progress for the idle timer. */
async function readCapped(body: IncomingMessage, head: boolean, touch: () => void): Promise<Uint8Array> {
  if (head) {
    body.resume();
    await new Promise<void>((resolve, reject) => {
      body.on('end', resolve);
      body.on('error', reject);
    });
    return new Uint8Array(0);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    touch();
    total += chunk.byteLength;
    if (total > MAX_BODY_BYTES) {
      body.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

interface ParsedOrigin {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: number | undefined;
  /** For plain-HTTP origins, where HEADs may be pipelined. */
  readonly pipeline?: PipelineOrigin;
}

/** An exchange's answer, whichever client carried it. */
interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  read(): Promise<Uint8Array>;
  /** Drops the body unread (a redirect's). */
  discard(): void;
}

const EMPTY = new Uint8Array(0);

/** A path and query that Node sends as they are (printable ASCII, no `#`). */
const SAFE_PATH = /^\/[\x21-\x22\x24-\x7e]*$/;

/** Node's request functions and one kept-alive agent per TLS policy. */
interface HttpStack {
  readonly http: typeof import('node:http').request;
  readonly https: typeof import('node:https').request;
  readonly plain: HttpAgent;
  readonly verified: HttpAgent;
  readonly unverified: HttpAgent;
}

/** Read access to response headers by lower-case name (repeated headers joined with ", "). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

function headerView(raw: Record<string, string | string[] | undefined>): ResponseHeaders {
  return {
    get(name) {
      const value = raw[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(
  headers: { get(name: string): string | null },
  now: number = Date.now(),
): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function redactQuery(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?…`;
}
