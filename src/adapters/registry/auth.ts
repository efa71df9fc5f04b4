import { type AuthChallenge, parseWwwAuthenticate } from '../../core/oci/index.js';
import type { Credential, CredentialSource } from './credentials.js';
import { type ErrorTarget, protocolError, unauthorizedError } from './errors.js';
import type { Transport } from './transport.js';

/** How a registry wants to be authenticated, learnt from its first 401. */
type Scheme =
  | { readonly kind: 'bearer'; readonly realm: string; readonly service: string | undefined }
  | { readonly kind: 'basic' }
  | { readonly kind: 'none' };

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/** Tokens without `expires_in` live 60 s (distribution token spec). */
const DEFAULT_TOKEN_LIFETIME_S = 60;
/** Renew a little early so a token does not expire between the check and the request. */
const EXPIRY_MARGIN_MS = 5_000;

/**
 * The registry auth handshake (semantics §7): remember each registry's challenge, fetch Bearer
 * tokens from its realm per scope (anonymously when there are no credentials), cache them until
 * they expire, and send Basic credentials to Basic registries. Tokens and passwords never leave
 * this object except in `Authorization` headers.
 */
export class Authenticator {
  private readonly schemes = new Map<string, Scheme>();
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly transport: Transport,
    private readonly credentials: CredentialSource,
    private readonly now: () => number = Date.now,
  ) {}

  /** Learns a registry's scheme from a `WWW-Authenticate` header (from a ping or a 401). */
  learn(apiHost: string, header: string | null): AuthChallenge | undefined {
    const challenges = parseWwwAuthenticate(header ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (bearer) {
      this.schemes.set(apiHost, {
        kind: 'bearer',
        realm: bearer.params.realm!,
        service: bearer.params.service,
      });
      return bearer;
    }
    if (basic) {
      this.schemes.set(apiHost, { kind: 'basic' });
      return basic;
    }
    return undefined;
  }

  /** Marks a registry as open (its ping answered 200). */
  markOpen(apiHost: string): void {
    if (!this.schemes.has(apiHost)) this.schemes.set(apiHost, { kind: 'none' });
  }

  /** Whether the registry's auth scheme is known (no ping needed). */
  knows(apiHost: string): boolean {
    return this.schemes.has(apiHost);
  }

  /** The `Authorization` header for a request, or undefined for anonymous access. */
  async header(
    apiHost: string,
    registry: string,
    scopes: readonly string[],
    target: ErrorTarget,
  ): Promise<string | undefined> {
    const scheme = this.schemes.get(apiHost);
    if (!scheme || scheme.kind === 'none') return undefined;
    const credential = await this.credentials.get(registry);
    if (scheme.kind === 'basic') {
      if (credential?.kind !== 'basic') return undefined;
      return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
    }
    if (credential?.kind === 'registry-token') return `Bearer ${credential.token}`;
    const token = await this.token(scheme, scopes, credential, target);
    return `Bearer ${token.token}`;
  }

  /** Whether credentials exist for a registry (for wording "rejected" versus "required"). */
  async hasCredentials(registry: string): Promise<boolean> {
    return (await this.credentials.get(registry)) !== undefined;
  }

  /** Drops cached tokens for these scopes (after the registry refused one). */
  forget(apiHost: string, scopes: readonly string[]): void {
    const scheme = this.schemes.get(apiHost);
    if (scheme?.kind === 'bearer') this.tokens.delete(tokenKey(scheme, scopes));
  }

  private async token(
    scheme: Extract<Scheme, { kind: 'bearer' }>,
    scopes: readonly string[],
    credential: Credential | undefined,
    target: ErrorTarget,
  ): Promise<CachedToken> {
    const key = tokenKey(scheme, scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return cached;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetchToken(scheme, scopes, credential, target).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const token = await pending;
    this.tokens.set(key, token);
    return token;
  }

  private async fetchToken(
    scheme: Extract<Scheme, { kind: 'bearer' }>,
    scopes: readonly string[],
    credential: Credential | undefined,
    target: ErrorTarget,
  ): Promise<CachedToken> {
    let realm: URL;
    try {
      realm = new URL(scheme.realm);
    } catch {
      throw protocolError(target, `its token realm ${JSON.stringify(scheme.realm)} is not a URL`);
    }
    const params = new URLSearchParams();
    if (scheme.service) params.set('service', scheme.service);
    for (const scope of scopes) params.append('scope', scope);
    const headers: Record<string, string> = {};
    let method: 'GET' | 'POST' = 'GET';
    let body: string | undefined;
    if (credential?.kind === 'identity-token') {
      // OAuth2 refresh-token grant, as docker does with an identity token.
      method = 'POST';
      params.set('grant_type', 'refresh_token');
      params.set('refresh_token', credential.token);
      params.set('client_id', 'kubefresh');
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = params.toString();
    } else {
      for (const [name, value] of params) realm.searchParams.append(name, value);
      if (credential?.kind === 'basic') {
        headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
      }
    }
    const response = await this.transport.request(realm.host, {
      method,
      url: realm.toString(),
      headers,
      ...(body === undefined ? {} : { body }),
      target,
    });
    if (response.status === 401 || response.status === 403) {
      throw unauthorizedError(target, credential !== undefined, response.status);
    }
    if (response.status !== 200) {
      throw protocolError(
        target,
        `its token service ${realm.origin}${realm.pathname} answered HTTP ${response.status}`,
      );
    }
    let json: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      json = JSON.parse(Buffer.from(response.body).toString('utf8'));
    } catch {
      throw protocolError(
        target,
        `its token service ${realm.origin}${realm.pathname} sent something other than JSON`,
      );
    }
    const token = typeof json.token === 'string' && json.token ? json.token : json.access_token;
    if (typeof token !== 'string' || token === '') {
      throw protocolError(target, `its token service ${realm.origin}${realm.pathname} sent no token`);
    }
    const lifetime =
      typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    const ms = lifetime * 1000;
    return { token, expiresAt: this.now() + Math.max(ms - EXPIRY_MARGIN_MS, ms / 2) };
  }
}

function tokenKey(scheme: Extract<Scheme, { kind: 'bearer' }>, scopes: readonly string[]): string {
  return `${scheme.realm}|${scheme.service ?? ''}|${[...scopes].sort().join(' ')}`;
}
