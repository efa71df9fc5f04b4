import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { OciError } from './errors.js';

/** A repository (or name pattern) nobody may access, or a predicate deciding it per user. */
export type DenyRule =
  | readonly (string | RegExp)[]
  | ((repository: string, user: string | undefined, action: string) => boolean);

/** HTTP Basic auth on every request, like distribution's `htpasswd` access controller. */
export interface BasicAuthOptions {
  readonly type: 'basic';
  /** user → password. */
  readonly users: Readonly<Record<string, string>>;
  /** Authenticated users still get 403 DENIED on these repositories. */
  readonly deny?: DenyRule;
  /** Default: `kubefresh-registry`. */
  readonly realm?: string;
}

/**
 * Docker token auth (distribution `docs/spec/auth/token.md`): the registry answers 401 with a
 * `Bearer realm=…,service=…,scope=…` challenge pointing at its own `/token` endpoint, which trades
 * Basic credentials (or nothing, for anonymous pulls) for a short-lived token carrying the granted
 * scopes. A token without the needed scope gets 401 with `error="insufficient_scope"`.
 */
export interface TokenAuthOptions {
  readonly type: 'token';
  readonly users: Readonly<Record<string, string>>;
  /** Repositories whose scopes are never granted (the token comes back without them). */
  readonly deny?: DenyRule;
  /** Grant `pull` to anonymous token requests, like a public Docker Hub repository. Default: false. */
  readonly anonymousPull?: boolean;
  /** The `service` in challenges and tokens. Default: `kubefresh-registry`. */
  readonly service?: string;
  /** Token lifetime. Default: 300 s. */
  readonly tokenTtlSeconds?: number;
}

export type RegistryAuthOptions = BasicAuthOptions | TokenAuthOptions;

/** What a request needs: `repository:<name>:<actions>` or `registry:catalog:*`; none for `/v2/`. */
export interface Access {
  readonly type: 'repository' | 'registry';
  readonly name: string;
  readonly actions: readonly string[];
}

interface TokenClaims {
  sub: string | undefined;
  access: Access[];
  exp: number;
}

const DEFAULT_REALM = 'kubefresh-registry';

function isDenied(rule: DenyRule | undefined, repository: string, user: string | undefined, action: string) {
  if (!rule) return false;
  if (typeof rule === 'function') return rule(repository, user, action);
  return rule.some((entry) => (typeof entry === 'string' ? entry === repository : entry.test(repository)));
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function scopeText(access: Access): string {
  return `${access.type}:${access.name}:${access.actions.join(',')}`;
}

/** Parses `type:name:actions`; the name may itself contain `:` (a registry host with a port). */
export function parseScope(text: string): Access | undefined {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  const type = text.slice(0, first);
  if (type !== 'repository' && type !== 'registry') return undefined;
  return {
    type,
    name: text.slice(first + 1, last),
    actions: text
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}

/** Reads `Authorization: Basic …`; undefined when absent or malformed. */
function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Checks requests against the configured auth and runs the token endpoint. */
export class RegistryAuth {
  private readonly key = randomBytes(32);

  constructor(readonly options: RegistryAuthOptions) {}

  private validUser(credentials: { user: string; password: string } | undefined): string | undefined {
    if (!credentials) return undefined;
    const expected = this.options.users[credentials.user];
    return expected !== undefined && safeEqual(expected, credentials.password) ? credentials.user : undefined;
  }

  /** Throws the 401/403 the registry must answer, or returns the user (undefined when anonymous). */
  check(req: IncomingMessage, access: Access | undefined): string | undefined {
    return this.options.type === 'basic' ? this.checkBasic(req, access) : this.checkToken(req, access);
  }

  private checkBasic(req: IncomingMessage, access: Access | undefined): string {
    const options = this.options as BasicAuthOptions;
    const user = this.validUser(basicCredentials(req.headers.authorization));
    if (!user) {
      throw new OciError('UNAUTHORIZED', {
        headers: { 'WWW-Authenticate': `Basic realm="${options.realm ?? DEFAULT_REALM}"` },
        ...(access ? { detail: [{ Type: access.type, Name: access.name, Action: access.actions[0] }] } : {}),
      });
    }
    if (access?.type === 'repository') {
      for (const action of access.actions) {
        if (isDenied(options.deny, access.name, user, action)) throw new OciError('DENIED');
      }
    }
    return user;
  }

  private challenge(
    req: IncomingMessage,
    access: Access | undefined,
    error?: string,
  ): Record<string, string> {
    const options = this.options as TokenAuthOptions;
    const parts = [
      `realm="http://${req.headers.host ?? '127.0.0.1'}/token"`,
      `service="${options.service ?? DEFAULT_REALM}"`,
    ];
    if (access) parts.push(`scope="${scopeText(access)}"`);
    if (error) parts.push(`error="${error}"`);
    return { 'WWW-Authenticate': `Bearer ${parts.join(',')}` };
  }

  private checkToken(req: IncomingMessage, access: Access | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw new OciError('UNAUTHORIZED', { headers: this.challenge(req, access) });
    const claims = this.verify(match[1]!);
    if (!claims) {
      throw new OciError('UNAUTHORIZED', { headers: this.challenge(req, access, 'invalid_token') });
    }
    if (access) {
      const granted = claims.access.find((a) => a.type === access.type && a.name === access.name);
      const ok = access.actions.every(
        (action) => granted?.actions.includes(action) || granted?.actions.includes('*'),
      );
      if (!ok) {
        throw new OciError('UNAUTHORIZED', {
          headers: this.challenge(req, access, 'insufficient_scope'),
          detail: [{ Type: access.type, Name: access.name, Action: access.actions.join(',') }],
        });
      }
    }
    return claims.sub;
  }

  private sign(claims: TokenClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${createHmac('sha256', this.key).update(payload).digest('base64url')}`;
  }

  private verify(token: string): TokenClaims | undefined {
    const [payload, signature] = token.split('.');
    if (!payload || !signature) return undefined;
    const expected = createHmac('sha256', this.key).update(payload).digest('base64url');
    if (!safeEqual(expected, signature)) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
    return claims.exp * 1000 > Date.now() ? claims : undefined;
  }

  /** What a user may do with one requested scope (the token server never errors on denial, it grants less). */
  private grant(user: string | undefined, wanted: Access): Access {
    const options = this.options as TokenAuthOptions;
    if (wanted.type === 'registry') return { ...wanted, actions: user ? wanted.actions : [] };
    const actions = wanted.actions.filter(
      (action) =>
        (user !== undefined || (options.anonymousPull === true && action === 'pull')) &&
        !isDenied(options.deny, wanted.name, user, action),
    );
    return { ...wanted, actions };
  }

  /**
   * The token endpoint: `GET /token?service=…&scope=…` with optional Basic credentials, or the OAuth2
   * `POST /token` form (`grant_type=password`) that containerd tries first. Returns status and JSON.
   */
  issue(req: IncomingMessage, url: URL, form: URLSearchParams | undefined): { status: number; body: string } {
    if (this.options.type !== 'token') {
      return { status: 404, body: new OciError('UNSUPPORTED').body() };
    }
    const params = form ?? url.searchParams;
    const credentials =
      form?.get('grant_type') === 'password'
        ? { user: form.get('username') ?? '', password: form.get('password') ?? '' }
        : basicCredentials(req.headers.authorization);
    const user = this.validUser(credentials);
    if (credentials && !user) {
      return {
        status: 401,
        body: new OciError('UNAUTHORIZED', { message: 'invalid username or password' }).body(),
      };
    }
    const scopes = params
      .getAll('scope')
      .flatMap((value) => value.split(' '))
      .map(parseScope)
      .filter((scope): scope is Access => scope !== undefined);
    const ttl = this.options.tokenTtlSeconds ?? 300;
    const access = scopes.map((scope) => this.grant(user, scope));
    const token = this.sign({ sub: user, access, exp: Math.floor(Date.now() / 1000) + ttl });
    const issuedAt = new Date().toISOString();
    return {
      status: 200,
      body: JSON.stringify({ token, access_token: token, expires_in: ttl, issued_at: issuedAt }),
    };
  }
}
