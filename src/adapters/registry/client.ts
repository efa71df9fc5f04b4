import { createHash } from 'node:crypto';
import type { ImageRef } from '../../core/image-ref/index.js';
import { digestAlgorithm, isDigest, MANIFEST_ACCEPT, parseOciManifest } from '../../core/oci/index.js';
import type { FetchedManifest, Registry, ResolvedDescriptor } from '../../ports/registry.js';
import { Authenticator } from './auth.js';
import { ANONYMOUS, type CredentialSource } from './credentials.js';
import {
  deniedError,
  type ErrorTarget,
  type NotFoundKind,
  notFoundError,
  parseDiagnostics,
  protocolError,
  unauthorizedError,
  unreachableError,
} from './errors.js';
import {
  isLoopbackHost,
  type RateLimitInfo,
  Transport,
  type TransportOptions,
  type TransportResponse,
} from './transport.js';

export interface RegistryClientOptions extends TransportOptions {
  /** Where logins come from. Default: anonymous (the CLI passes Docker's config.json). */
  readonly credentials?: CredentialSource;
}

const ACCEPT = MANIFEST_ACCEPT.join(', ');

interface Call {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** `/v2/…` path, or an absolute URL on the registry (upload locations). */
  readonly path: string;
  readonly push?: boolean;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array;
  readonly reference?: string;
}

/** sha256/sha512 of exact bytes, as `algorithm:hex`. */
export function digestOf(bytes: Uint8Array, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/**
 * The OCI distribution client (semantics §7) behind the {@link Registry} port. Resolving is a HEAD
 * with all four manifest media types accepted, trusting `Docker-Content-Digest`; only when a
 * registry omits it is the manifest fetched and its exact bytes hashed. Every GET body is checked
 * against the digest the registry claims. Within one client, identical lookups are made once.
 */
export class RegistryClient implements Registry {
  private readonly transport: Transport;
  private readonly auth: Authenticator;
  private readonly pings = new Map<string, Promise<void>>();
  /** Per loopback registry, the first call while it finds out how the registry authenticates. */
  private readonly firstCalls = new Map<string, Promise<void>>();
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly limits = new Map<string, RateLimitInfo>();

  constructor(options: RegistryClientOptions = {}) {
    this.transport = new Transport({
      ...options,
      onRateLimit: (info) => {
        this.limits.set(info.registry, info);
        options.onRateLimit?.(info);
      },
    });
    this.auth = new Authenticator(this.transport, options.credentials ?? ANONYMOUS);
  }

  /** The last RateLimit headers seen per registry (empty when none sent them: unlimited). */
  rateLimits(): RateLimitInfo[] {
    return [...this.limits.values()];
  }

  /** Closes kept-alive connections. */
  close(): Promise<void> {
    return this.transport.close();
  }

  resolve(ref: ImageRef, reference: string = ref.manifestReference()): Promise<ResolvedDescriptor> {
    return this.once(`resolve ${ref.name()}@${reference}`, () => this.headManifest(ref, reference));
  }

  fetchManifest(ref: ImageRef, reference: string = ref.manifestReference()): Promise<FetchedManifest> {
    return this.once(`manifest ${ref.name()}@${reference}`, () => this.getManifest(ref, reference));
  }

  async listTags(ref: ImageRef): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${ref.repository}/tags/list?n=1000`;
    for (let page = 0; path !== undefined && page < 1000; page++) {
      const response = await this.call(ref, { method: 'GET', path });
      if (response.status !== 200) throw this.failure(ref, response, 'repository');
      const json = parseJson(response, this.target(ref)) as { tags?: unknown };
      if (Array.isArray(json.tags)) tags.push(...json.tags.filter((t): t is string => typeof t === 'string'));
      path = nextLink(response.headers.get('link'));
    }
    return tags;
  }

  async hasBlob(ref: ImageRef, digest: string): Promise<boolean> {
    const response = await this.call(ref, {
      method: 'HEAD',
      path: `/v2/${ref.repository}/blobs/${digest}`,
      reference: digest,
    });
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw this.failure(ref, response, 'blob', digest);
  }

  async pushBlob(ref: ImageRef, digest: string, data: Uint8Array): Promise<void> {
    if (digestOf(data, digestAlgorithm(digest)) !== digest) {
      throw protocolError(
        this.target(ref, digest),
        `refusing to push a blob whose bytes do not hash to ${digest}`,
      );
    }
    const exists = await this.call(ref, {
      method: 'HEAD',
      path: `/v2/${ref.repository}/blobs/${digest}`,
      push: true,
      reference: digest,
    });
    if (exists.status === 200) return;
    const start = await this.call(ref, {
      method: 'POST',
      path: `/v2/${ref.repository}/blobs/uploads/`,
      push: true,
    });
    if (start.status !== 202) throw this.failure(ref, start, 'repository');
    const location = start.headers.get('location');
    if (!location) throw protocolError(this.target(ref), 'an upload was started without a Location header');
    const origin = await this.transport.origin(ref.apiHost(), this.target(ref));
    const url = new URL(location, `${origin}/`);
    url.searchParams.set('digest', digest);
    const done = await this.call(ref, {
      method: 'PUT',
      path: url.toString(),
      push: true,
      headers: { 'content-type': 'application/octet-stream' },
      body: data,
      reference: digest,
    });
    if (done.status !== 201 && done.status !== 204) throw this.failure(ref, done, 'blob', digest);
  }

  async putManifest(ref: ImageRef, reference: string, mediaType: string, bytes: Uint8Array): Promise<string> {
    const response = await this.call(ref, {
      method: 'PUT',
      path: `/v2/${ref.repository}/manifests/${reference}`,
      push: true,
      headers: { 'content-type': mediaType },
      body: bytes,
      reference,
    });
    if (response.status !== 201 && response.status !== 200)
      throw this.failure(ref, response, 'manifest', reference);
    // The tag may now name something else: later lookups in this run must ask the registry again.
    this.memo.delete(`resolve ${ref.name()}@${reference}`);
    this.memo.delete(`manifest ${ref.name()}@${reference}`);
    const computed = digestOf(bytes);
    const claimed = response.headers.get('docker-content-digest');
    if (claimed && isDigest(claimed) && digestAlgorithm(claimed) === 'sha256' && claimed !== computed) {
      throw protocolError(
        this.target(ref, reference),
        `it stored the manifest as ${claimed} but its bytes hash to ${computed}`,
      );
    }
    return computed;
  }

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let found = this.memo.get(key) as Promise<T> | undefined;
    if (!found) {
      found = fn();
      this.memo.set(key, found);
    }
    return found;
  }

  private async headManifest(ref: ImageRef, reference: string): Promise<ResolvedDescriptor> {
    const response = await this.call(ref, {
      method: 'HEAD',
      path: `/v2/${ref.repository}/manifests/${reference}`,
      headers: { accept: ACCEPT },
      reference,
    });
    if (response.status !== 200) {
      if (response.status === 404) throw await this.explainMissing(ref, reference, response);
      throw this.failure(ref, response, 'manifest', reference);
    }
    const digest = response.headers.get('docker-content-digest');
    if (digest === null || !isDigest(digest)) {
      // Older registries omit the header; containerd then fetches and hashes the manifest, and so do we.
      const fetched = await this.fetchManifest(ref, reference);
      return { digest: fetched.digest, mediaType: fetched.mediaType, size: fetched.size };
    }
    if (isDigest(reference) && digest !== reference) {
      throw protocolError(this.target(ref, reference), `asked for ${reference} it answered ${digest}`);
    }
    const length = response.headers.get('content-length');
    return {
      digest,
      mediaType: (response.headers.get('content-type') ?? '').split(';')[0]!.trim(),
      size: length === null ? -1 : Number(length),
    };
  }

  private async getManifest(ref: ImageRef, reference: string): Promise<FetchedManifest> {
    const response = await this.call(ref, {
      method: 'GET',
      path: `/v2/${ref.repository}/manifests/${reference}`,
      headers: { accept: ACCEPT },
      reference,
    });
    if (response.status !== 200) throw this.failure(ref, response, 'manifest', reference);
    const claimed = response.headers.get('docker-content-digest');
    const expected = isDigest(reference)
      ? reference
      : claimed !== null && isDigest(claimed)
        ? claimed
        : undefined;
    const digest = digestOf(response.body, expected === undefined ? 'sha256' : digestAlgorithm(expected));
    if (expected !== undefined && digest !== expected) {
      throw protocolError(
        this.target(ref, reference),
        `the manifest it sent hashes to ${digest}, not ${expected}${expected === claimed ? ' as its Docker-Content-Digest header says' : ''}`,
        { expected, actual: digest },
      );
    }
    const contentType = response.headers.get('content-type') ?? undefined;
    const manifest = parseOciManifest(Buffer.from(response.body).toString('utf8'), contentType, {
      registry: ref.registry,
      repository: ref.repository,
      reference,
    });
    return {
      digest,
      mediaType: manifest.mediaType,
      size: response.body.byteLength,
      bytes: response.body,
      manifest,
    };
  }

  /**
   * HEAD answers carry no error body, and distribution says MANIFEST_UNKNOWN even for a repository
   * that does not exist; the tag list tells the two apart (only on this failure path).
   */
  private async explainMissing(ref: ImageRef, reference: string, head: TransportResponse) {
    const detail = await this.call(ref, {
      method: 'GET',
      path: `/v2/${ref.repository}/manifests/${reference}`,
      headers: { accept: ACCEPT },
      reference,
    });
    const first = this.failure(ref, detail.status === 404 ? detail : head, 'manifest', reference);
    if (first.details?.kind !== 'manifest') return first;
    const tags = await this.call(ref, {
      method: 'GET',
      path: `/v2/${ref.repository}/tags/list?n=1`,
      reference,
    });
    if (tags.status === 404) {
      const repo = this.failure(ref, tags, 'repository', reference);
      if (repo.details?.kind === 'repository') return repo;
    }
    return first;
  }

  private target(ref: ImageRef, reference?: string): ErrorTarget {
    return { registry: ref.registry, repository: ref.repository, reference };
  }

  /** Pings `/v2/` once per registry to learn how it authenticates before the real requests. */
  private ping(ref: ImageRef): Promise<void> {
    const host = ref.apiHost();
    if (this.auth.knows(host)) return Promise.resolve();
    let pinged = this.pings.get(host);
    if (!pinged) {
      pinged = this.transport
        .request(host, { method: 'GET', url: '/v2/', target: this.target(ref) })
        .then((response) => {
          if (response.status === 401) this.auth.learn(host, response.headers.get('www-authenticate'));
          else this.auth.markOpen(host);
        });
      pinged.catch(() => this.pings.delete(host));
      this.pings.set(host, pinged);
    }
    return pinged;
  }

  /**
   * For a loopback registry the first real request stands in for the ping (its 401, if any, carries
   * the challenge), so resolving N references costs N requests. Calls arriving meanwhile wait for it
   * and then send with what it learnt; returns the release of the first call, else undefined.
   */
  private async firstCall(host: string): Promise<(() => void) | undefined> {
    if (this.auth.knows(host)) return undefined;
    const pending = this.firstCalls.get(host);
    // After a first call that failed, the others go on their own and answer their own 401s.
    if (pending) return void (await pending);
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.firstCalls.set(host, done);
    return () => {
      this.firstCalls.delete(host);
      release();
    };
  }

  /** One authenticated exchange: ping first, send with credentials, answer one 401 challenge. */
  private async call(ref: ImageRef, call: Call): Promise<TransportResponse> {
    const host = ref.apiHost();
    if (!isLoopbackHost(host)) {
      await this.ping(ref);
      return this.authorized(ref, call);
    }
    const release = await this.firstCall(host);
    try {
      const response = await this.authorized(ref, call);
      // Answered without a challenge: anonymous access, as a ping answering 200 would have said.
      if (response.status !== 401) this.auth.markOpen(host);
      return response;
    } finally {
      release?.();
    }
  }

  /** Sends with credentials and answers one 401 challenge. */
  private async authorized(ref: ImageRef, call: Call): Promise<TransportResponse> {
    const host = ref.apiHost();
    const target = this.target(ref, call.reference);
    const scopes = [`repository:${ref.repository}:${call.push ? 'pull,push' : 'pull'}`];
    const send = async (): Promise<TransportResponse> => {
      const authorization = await this.auth.header(host, ref.registry, scopes, target);
      return this.transport.request(host, {
        method: call.method,
        url: call.path,
        headers: { ...call.headers, ...(authorization === undefined ? {} : { authorization }) },
        ...(call.body === undefined ? {} : { body: call.body }),
        target,
      });
    };
    let response = await send();
    if (response.status !== 401) return response;
    const challenge = response.headers.get('www-authenticate');
    const learnt = this.auth.learn(host, challenge);
    if (learnt === undefined)
      throw unauthorizedError(target, await this.auth.hasCredentials(ref.registry), 401);
    this.auth.forget(host, scopes);
    response = await send();
    if (response.status === 401) {
      const again = response.headers.get('www-authenticate') ?? '';
      if (/error="?insufficient_scope/i.test(again))
        throw deniedError(target, 401, parseDiagnostics(text(response)));
      throw unauthorizedError(target, await this.auth.hasCredentials(ref.registry), 401);
    }
    return response;
  }

  private failure(ref: ImageRef, response: TransportResponse, kind: NotFoundKind, reference?: string) {
    const target = this.target(ref, reference);
    const diagnostics = parseDiagnostics(text(response));
    const codes = new Set(diagnostics.map((d) => d.code));
    switch (response.status) {
      case 404:
        return notFoundError(
          target,
          codes.has('NAME_UNKNOWN')
            ? 'repository'
            : codes.has('BLOB_UNKNOWN')
              ? 'blob'
              : codes.has('MANIFEST_UNKNOWN')
                ? 'manifest'
                : kind,
          diagnostics,
        );
      case 401:
        return unauthorizedError(target, false, 401);
      case 403:
        return deniedError(target, 403, diagnostics);
      default:
        if (response.status >= 500) {
          return unreachableError(
            target,
            'server',
            response.url,
            `it answered HTTP ${response.status} (retried)`,
          );
        }
        return protocolError(
          target,
          `${response.status === 200 ? 'an unexpected' : `HTTP ${response.status}`} answer${diagnostics[0] ? `: ${diagnostics[0].code} ${diagnostics[0].message}` : ''}`,
          { status: response.status, diagnostics },
        );
    }
  }
}

function text(response: TransportResponse): string {
  return Buffer.from(response.body).toString('utf8');
}

function parseJson(response: TransportResponse, target: ErrorTarget): unknown {
  try {
    return JSON.parse(text(response));
  } catch {
    throw protocolError(target, 'a body that is not JSON');
  }
}

/** The `rel="next"` target of a `Link` header (tag list pagination). */
function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link);
  return match?.[1];
}
