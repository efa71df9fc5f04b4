import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { ImageRef } from '../../core/image-ref/index.js';
import { isIndexMediaType, MANIFEST_ACCEPT } from '../../core/oci/index.js';
import { DialError, nodeRequest, type TransportResponse } from './http-transport.js';
import { imageConfigFromJson } from './image-config.js';
import {
  type ImageSource,
  type Platform,
  PullError,
  type RegistryCredential,
  type ResolvedImage,
  type ResolveRequest,
} from './image-source.js';
import type { NodeNetwork } from './node-network.js';
import { type Endpoint, endpointsFor, type RegistriesConfig } from './registry-config.js';

/** containerd adds `*∕*` after the four manifest types. */
const ACCEPT = [...MANIFEST_ACCEPT, '*/*'].join(', ');

export interface RegistryImageSourceOptions {
  readonly network: NodeNetwork;
  /** This node's registries.yaml. */
  readonly registries?: RegistriesConfig | undefined;
}

/**
 * Pulls image metadata from OCI registries over real HTTP, the way a K3s node's containerd does:
 * mirror endpoints in order, then the registry itself; HEAD with the full Accept list; Basic or
 * Bearer auth from the credentials given; index → the node's platform child → config blob.
 * Failures read like containerd's errors (semantics §6) so events look like a real node's.
 */
export class RegistryImageSource implements ImageSource {
  /**
   * The node's content store: manifests and configs by digest. As in containerd, a re-pull of
   * content the node already has costs one HEAD (the tag may have moved), nothing more.
   */
  private readonly content = new Map<string, TransportResponse>();

  constructor(private readonly options: RegistryImageSourceOptions) {}

  async resolve(request: ResolveRequest): Promise<ResolvedImage> {
    const credentialSets: (RegistryCredential | undefined)[] =
      request.credentials.length > 0 ? [...request.credentials] : [undefined];
    const errors: PullError[] = [];
    for (const credential of credentialSets) {
      try {
        return await this.resolveWith(request, credential);
      } catch (error) {
        if (!(error instanceof PullError)) throw error;
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0]!;
    // The kubelet aggregates one error per credential it tried: `[err1, err2]`.
    throw new PullError(`[${errors.map((e) => e.message).join(', ')}]`, errors.at(-1)!.kind);
  }

  private async resolveWith(request: ResolveRequest, credential: RegistryCredential | undefined) {
    const { ref } = request;
    const display = containerdRef(ref);
    const wrap = `failed to pull and unpack image "${display}": `;
    const resolveWrap = `${wrap}failed to resolve reference "${display}": `;
    let firstError: PullError | undefined;
    for (const endpoint of endpointsFor(ref, this.options.registries)) {
      const session = new RegistrySession(
        this.options.network,
        endpoint,
        credential ?? endpoint.config?.auth,
        request.signal,
      );
      const url = `${session.base}/manifests/${ref.manifestReference()}`;
      let head: TransportResponse;
      try {
        head = await session.send('HEAD', url, { accept: ACCEPT });
      } catch (error) {
        if (error instanceof AuthFailure) throw new PullError(resolveWrap + error.message, 'unauthorized');
        if (error instanceof DialError) {
          firstError ??= new PullError(
            `${resolveWrap}failed to do request: Head "${url}": ${error.goError}`,
            error.kind,
          );
          continue;
        }
        throw error;
      }
      if (head.status === 404) continue;
      if (head.status >= 400) {
        firstError ??= new PullError(
          `${resolveWrap}unexpected status from HEAD request to ${url}: ${statusText(head.status)}`,
          head.status === 401 || head.status === 403
            ? 'unauthorized'
            : head.status === 429
              ? 'rate-limited'
              : 'other',
        );
        continue;
      }
      try {
        return await this.fetchImage(session, head, url, request.platform, wrap);
      } catch (error) {
        if (error instanceof AuthFailure) throw new PullError(wrap + error.message, 'unauthorized');
        if (error instanceof DialError)
          throw new PullError(`${wrap}failed to copy: ${error.goError}`, error.kind);
        throw error;
      }
    }
    throw firstError ?? new PullError(`${resolveWrap}${display}: not found`, 'not-found');
  }

  private async cached(digest: string, fetch: () => Promise<TransportResponse>): Promise<TransportResponse> {
    const hit = this.content.get(digest);
    if (hit) return hit;
    const response = await fetch();
    const actual = `sha256:${createHash('sha256').update(response.body).digest('hex')}`;
    if (digest.startsWith('sha256:') && actual === digest) {
      if (this.content.size >= CONTENT_CACHE_ENTRIES) this.content.delete(this.content.keys().next().value!);
      this.content.set(digest, response);
    }
    return response;
  }

  private async fetchImage(
    session: RegistrySession,
    head: TransportResponse,
    headUrl: string,
    platform: Platform,
    wrap: string,
  ): Promise<ResolvedImage> {
    let digest = header(head, 'docker-content-digest');
    const top =
      digest === undefined
        ? await session.fetch(headUrl, wrap)
        : await this.cached(digest, () => session.fetch(`${session.base}/manifests/${digest}`, wrap));
    digest ??= `sha256:${createHash('sha256').update(top.body).digest('hex')}`;
    const mediaType = header(top, 'content-type')?.split(';')[0]?.trim() ?? parseJson(top.body).mediaType;
    let manifest = parseJson(top.body);
    let manifestBytes = top.body.length;
    let platformDigest = digest;
    if (isIndexMediaType(mediaType ?? manifest.mediaType) || Array.isArray(manifest.manifests)) {
      const child = pickPlatform(manifest, platform);
      if (!child) throw new PullError(`${wrap}no match for platform in manifest: not found`, 'platform');
      platformDigest = child.digest;
      const childResponse = await this.cached(child.digest, () =>
        session.fetch(`${session.base}/manifests/${child.digest}`, wrap),
      );
      manifest = parseJson(childResponse.body);
      manifestBytes = childResponse.body.length;
    }
    const configDigest = manifest.config?.digest;
    if (typeof configDigest !== 'string') {
      throw new PullError(`${wrap}failed to unpack image: manifest ${platformDigest} has no config`, 'other');
    }
    const configResponse = await this.cached(configDigest, () =>
      session.fetch(`${session.base}/blobs/${configDigest}`, wrap),
    );
    const layers: { size?: number }[] = Array.isArray(manifest.layers) ? manifest.layers : [];
    const size =
      manifestBytes + configResponse.body.length + layers.reduce((sum, l) => sum + (l.size ?? 0), 0);
    return {
      digest,
      mediaType: mediaType ?? 'application/vnd.oci.image.manifest.v1+json',
      platformDigest,
      configDigest,
      config: imageConfigFromJson(configResponse.body),
      size,
    };
  }
}

/** Content kept per node; manifests and configs are small, so a few thousand entries is plenty. */
const CONTENT_CACHE_ENTRIES = 4096;

/** An auth failure containerd reports without trying the next endpoint. */
class AuthFailure extends Error {}

/** One endpoint plus the Authorization header earned on it (Basic, or a Bearer token). */
class RegistrySession {
  readonly base: string;
  private authorization: string | undefined;
  private bearerTried = false;

  constructor(
    private readonly network: NodeNetwork,
    private readonly endpoint: Endpoint,
    private readonly credential: RegistryCredential | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.base = `${endpoint.scheme}://${endpoint.host}${endpoint.apiPath}/${endpoint.repository}`;
  }

  async send(
    method: 'GET' | 'HEAD',
    url: string,
    headers: Record<string, string> = {},
  ): Promise<TransportResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.raw(method, url, {
        ...headers,
        ...(this.authorization ? { authorization: this.authorization } : {}),
      });
      if (response.status !== 401 || attempt >= 2) return response;
      const challenge = parseChallenge(header(response, 'www-authenticate'));
      if (!challenge) return response;
      if (challenge.scheme === 'bearer') {
        if (this.bearerTried) {
          if (challenge.params.error) {
            throw new AuthFailure(
              `pull access denied, repository does not exist or may require authorization: server message: ${challenge.params.error}: authorization failed`,
            );
          }
          return response;
        }
        this.bearerTried = true;
        this.authorization = `Bearer ${await this.fetchToken(challenge.params)}`;
        continue;
      }
      if (challenge.scheme === 'basic' && this.credential && !this.authorization) {
        const { username, password } = this.credential;
        this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
        continue;
      }
      return response;
    }
  }

  /** GET that must succeed; errors read like containerd's fetcher (`failed to copy: httpReadSeeker: …`). */
  async fetch(url: string, wrap: string): Promise<TransportResponse> {
    const response = await this.send('GET', url, { accept: ACCEPT });
    if (response.status === 200) return response;
    if (response.status === 404) {
      throw new PullError(
        `${wrap}failed to copy: httpReadSeeker: failed open: content at ${url} not found: not found`,
        'not-found',
      );
    }
    const serverMessage = registryErrorText(response.body);
    throw new PullError(
      `${wrap}failed to copy: httpReadSeeker: failed open: unexpected status code ${url}: ${statusText(response.status)}${serverMessage ? ` - Server message: ${serverMessage}` : ''}`,
      response.status === 429
        ? 'rate-limited'
        : response.status === 401 || response.status === 403
          ? 'unauthorized'
          : 'other',
    );
  }

  private async fetchToken(params: Record<string, string>): Promise<string> {
    const realm = params.realm;
    if (!realm) throw new AuthFailure('failed to authorize: no realm in bearer challenge');
    const url = new URL(realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? `repository:${this.endpoint.repository}:pull`);
    const headers: Record<string, string> = {};
    if (this.credential) {
      const { username, password } = this.credential;
      headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    const kind = this.credential ? 'oauth' : 'anonymous';
    let response: TransportResponse;
    try {
      response = await this.raw('GET', url.toString(), headers);
    } catch (error) {
      if (error instanceof DialError) {
        throw new AuthFailure(
          `failed to authorize: failed to fetch ${kind} token: Get "${url}": ${error.goError}`,
        );
      }
      throw error;
    }
    if (response.status !== 200) {
      throw new AuthFailure(
        `failed to authorize: failed to fetch ${kind} token: unexpected status from GET request to ${url}: ${statusText(response.status)}`,
      );
    }
    const body = parseJson(response.body);
    const token = body.token ?? body.access_token;
    if (typeof token !== 'string')
      throw new AuthFailure(`failed to authorize: failed to fetch ${kind} token: no token in response`);
    return token;
  }

  private raw(method: 'GET' | 'HEAD', url: string, headers: Record<string, string>) {
    const tls = this.endpoint.config?.tls;
    return nodeRequest(this.network, {
      method,
      url,
      headers,
      ca: tls?.ca,
      insecureSkipVerify: tls?.insecureSkipVerify,
      signal: this.signal,
    });
  }
}

/** How containerd names a reference in errors: fully qualified; `name:tag@digest` pulls as `name@digest`. */
export function containerdRef(ref: ImageRef): string {
  return ref.digest ? `${ref.name()}@${ref.digest}` : `${ref.name()}:${ref.effectiveTag()}`;
}

function pickPlatform(index: Json, platform: Platform): { digest: string } | undefined {
  const children: Json[] = Array.isArray(index.manifests) ? index.manifests : [];
  const matches = children.filter(
    (m) =>
      typeof m?.digest === 'string' &&
      m.platform?.os === platform.os &&
      m.platform?.architecture === platform.architecture,
  );
  return (
    matches.find((m) => platform.variant === undefined || m.platform?.variant === platform.variant) ??
    matches[0]
  );
}

function parseChallenge(
  value: string | undefined,
): { scheme: string; params: Record<string, string> } | undefined {
  if (!value) return undefined;
  const space = value.indexOf(' ');
  const scheme = (space === -1 ? value : value.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const match of value.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g))
    params[match[1]!.toLowerCase()] = match[2]!;
  return { scheme, params };
}

function header(response: TransportResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function statusText(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

function registryErrorText(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8'));
    const first = parsed?.errors?.[0];
    if (first?.code) return `${String(first.code).toLowerCase()}: ${first.message ?? ''}`.trim();
  } catch {
    // not a registry error body
  }
  return body.toString('utf8').slice(0, 200).trim();
}

// biome-ignore lint/suspicious/noExplicitAny: registry JSON is validated field by field where used
type Json = any;

function parseJson(body: Buffer): Json {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return {};
  }
}
