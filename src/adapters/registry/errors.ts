import { type ErrorCode, KubefreshError, redact } from '../../errors/index.js';

/** The registry and repository an error is about; every registry error names both. */
export interface ErrorTarget {
  readonly registry: string;
  readonly repository?: string | undefined;
  /** The tag or digest asked for, when the request was about one. */
  readonly reference?: string | undefined;
}

/** One entry of the distribution-spec error body `{"errors":[{code,message,detail}]}`. */
export interface WireDiagnostic {
  readonly code: string;
  readonly message: string;
}

function where(target: ErrorTarget): string {
  return target.repository === undefined ? target.registry : `${target.registry}/${target.repository}`;
}

function make(
  code: ErrorCode,
  message: string,
  target: ErrorTarget,
  hint: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): KubefreshError {
  return new KubefreshError(code, redact(message), {
    hint: redact(hint),
    ...(cause === undefined ? {} : { cause }),
    details: {
      registry: target.registry,
      ...(target.repository === undefined ? {} : { repository: target.repository }),
      ...(target.reference === undefined ? {} : { reference: target.reference }),
      ...details,
    },
  });
}

/** What was missing: the repository itself, a manifest (tag or digest), or a blob. */
export type NotFoundKind = 'repository' | 'manifest' | 'blob';

export function notFoundError(
  target: ErrorTarget,
  kind: NotFoundKind,
  diagnostics: WireDiagnostic[],
): KubefreshError {
  const name = where(target);
  const message =
    kind === 'repository'
      ? `repository ${name} not found on registry ${target.registry}`
      : kind === 'blob'
        ? `blob ${target.reference ?? ''} not found in ${name}`
        : `manifest ${JSON.stringify(target.reference ?? '')} not found in ${name}`;
  const hint =
    kind === 'repository'
      ? 'check the image name and registry host for typos, and that the image was pushed to this registry'
      : kind === 'blob'
        ? 'the image is incomplete on the registry; push it again'
        : `check the tag for typos and that it was pushed; list the tags with: skopeo list-tags docker://${name}`;
  return make('REGISTRY_NOT_FOUND', message, target, hint, { kind, diagnostics });
}

export function unauthorizedError(
  target: ErrorTarget,
  hadCredentials: boolean,
  status: number,
): KubefreshError {
  const message = hadCredentials
    ? `registry ${target.registry} rejected the credentials for ${where(target)} (HTTP ${status})`
    : `registry ${target.registry} requires authentication for ${where(target)} (HTTP ${status})`;
  const hint = hadCredentials
    ? `log in again with: docker login ${target.registry} (kubefresh reads $DOCKER_CONFIG/config.json or ~/.docker/config.json)`
    : `log in with: docker login ${target.registry} (kubefresh reads $DOCKER_CONFIG/config.json or ~/.docker/config.json)`;
  return make('REGISTRY_UNAUTHORIZED', message, target, hint, { status, hadCredentials });
}

export function deniedError(
  target: ErrorTarget,
  status: number,
  diagnostics: WireDiagnostic[],
): KubefreshError {
  return make(
    'REGISTRY_DENIED',
    `registry ${target.registry} denied access to ${where(target)} (HTTP ${status})`,
    target,
    'the credentials in use lack permission for this repository; check the account or the repository name',
    { status, diagnostics },
  );
}

export function rateLimitedError(
  target: ErrorTarget,
  attempts: number,
  retryAfterMs?: number,
  requests?: number,
): KubefreshError {
  const after =
    retryAfterMs === undefined ? '' : `; it asks to retry after ${Math.ceil(retryAfterMs / 1000)}s`;
  // 0 attempts: the run had stopped asking this registry after it kept answering 429.
  const tries =
    attempts === 0
      ? 'HTTP 429 earlier in this run, so kubefresh stopped asking it'
      : `HTTP 429 after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const made =
    requests === undefined ? '' : `; ${requests} request${requests === 1 ? '' : 's'} made to it in this run`;
  return make(
    'REGISTRY_RATE_LIMITED',
    `registry ${target.registry} rate limited requests for ${where(target)} (${tries}${after}${made})`,
    target,
    'wait and retry, or log in (docker login) for a higher limit; kubefresh resolves with HEAD, which Docker Hub does not count',
    {
      attempts,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(requests === undefined ? {} : { requests }),
    },
  );
}

/** Why a registry could not be reached at all. */
export type UnreachableReason = 'dns' | 'refused' | 'timeout' | 'reset' | 'server' | 'network';

export function unreachableError(
  target: ErrorTarget,
  reason: UnreachableReason,
  url: string,
  detail: string,
  cause?: unknown,
): KubefreshError {
  const what: Record<UnreachableReason, string> = {
    dns: `the host name ${hostOf(target.registry)} does not resolve`,
    refused: 'connection refused',
    timeout: detail,
    reset: 'the connection was closed before a response',
    server: detail,
    network: detail,
  };
  const hint: Record<UnreachableReason, string> = {
    dns: 'check the registry host name for typos and your DNS',
    refused: 'check the registry host and port, and that the registry is running',
    timeout: 'the registry is slow or unreachable; check the network, or raise --timeout',
    reset: 'the registry or a proxy dropped the connection; retry, or check the proxy',
    server: 'the registry is failing; retry later or ask its operators',
    network: 'check the network path to the registry',
  };
  return make(
    'REGISTRY_UNREACHABLE',
    `cannot reach registry ${target.registry} for ${where(target)}: ${what[reason]} (${url})`,
    target,
    hint[reason],
    { reason, url },
    cause,
  );
}

/** The TLS failure classes users can act on differently. */
export type TlsReason = 'unknown-authority' | 'wrong-name' | 'expired' | 'plain-http' | 'handshake';

export function tlsError(
  target: ErrorTarget,
  reason: TlsReason,
  detail: string,
  cause?: unknown,
): KubefreshError {
  const host = target.registry;
  const what: Record<TlsReason, string> = {
    'unknown-authority': `its certificate is signed by an unknown authority (${detail})`,
    'wrong-name': `its certificate is not valid for ${hostOf(host)} (${detail})`,
    expired: `its certificate has expired or is not yet valid (${detail})`,
    'plain-http': 'it answered plain HTTP to an HTTPS request',
    handshake: `the TLS handshake failed (${detail})`,
  };
  const hint: Record<TlsReason, string> = {
    'unknown-authority': `pass the registry's CA certificate with --registry-ca FILE, or --insecure-registry ${host} to skip verification`,
    'wrong-name': `use the host name the certificate was issued for, or fix the registry's certificate`,
    expired: "renew the registry's certificate (or check this machine's clock)",
    'plain-http': `the registry serves plain HTTP; add --insecure-registry ${host}`,
    handshake: `check that ${host} serves HTTPS, or add --insecure-registry ${host} for a plain HTTP registry`,
  };
  return make(
    'REGISTRY_TLS',
    `TLS error talking to registry ${host} for ${where(target)}: ${what[reason]}`,
    target,
    hint[reason],
    { reason },
    cause,
  );
}

export function protocolError(
  target: ErrorTarget,
  problem: string,
  details: Record<string, unknown> = {},
): KubefreshError {
  return make(
    'REGISTRY_PROTOCOL',
    `registry ${target.registry} answered unexpectedly for ${where(target)}: ${problem}`,
    target,
    'the registry may be misconfigured or not an OCI registry; run with -v for details',
    details,
  );
}

function hostOf(registry: string): string {
  return registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : registry.split(':')[0]!;
}

const TLS_CODES: Readonly<Record<string, TlsReason>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-authority',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown-authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-authority',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'unknown-authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown-authority',
  CERT_UNTRUSTED: 'unknown-authority',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong-name',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'expired',
  ERR_SSL_WRONG_VERSION_NUMBER: 'plain-http',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'plain-http',
  ERR_SSL_HTTP_REQUEST: 'plain-http',
};

/** Finds the innermost error with a `code` in a fetch failure's cause chain. */
/**
 * Node reports some handshake failures as a bare `EPROTO` with OpenSSL's text (e.g. `write EPROTO
 * …:ssl3_get_record:wrong version number`); name them as the TLS layer does elsewhere.
 */
function opensslCode(code: string, message: string): string {
  if (code !== 'EPROTO') return code;
  if (/wrong version number/i.test(message)) return 'ERR_SSL_WRONG_VERSION_NUMBER';
  if (/packet length too long/i.test(message)) return 'ERR_SSL_PACKET_LENGTH_TOO_LONG';
  if (/http request/i.test(message)) return 'ERR_SSL_HTTP_REQUEST';
  return code;
}

function rootCause(err: unknown): { code?: string; message: string; name?: string } {
  let current: unknown = err;
  let found: { code?: string; message: string; name?: string } = {
    message: err instanceof Error ? err.message : String(err),
  };
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string')
      found = { code: opensslCode(code, current.message), message: current.message, name: current.name };
    else if (current.name === 'TimeoutError' || current.name === 'AbortError') {
      found = { message: current.message, name: current.name };
    }
    current = current.cause;
  }
  return found;
}

/** True when a failed HTTPS attempt means the server speaks plain HTTP (so a fallback may work). */
export function isPlainHttpAnswer(err: unknown): boolean {
  const root = rootCause(err);
  return root.code !== undefined && TLS_CODES[root.code] === 'plain-http';
}

/** True when a network failure may go away on retry (a dropped keep-alive connection). */
export function isTransientNetworkError(err: unknown): boolean {
  const code = rootCause(err).code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED';
}

/** Turns a fetch failure (no HTTP response at all) into a typed registry error. */
export function classifyNetworkError(
  err: unknown,
  target: ErrorTarget,
  url: string,
  timeoutMs: number,
): KubefreshError {
  const root = rootCause(err);
  const code = root.code ?? '';
  const tls = TLS_CODES[code];
  if (tls !== undefined) return tlsError(target, tls, root.message.split('\n')[0]!.slice(0, 200), err);
  if (
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    /certificate|ssl|tls/i.test(root.message)
  ) {
    return tlsError(target, 'handshake', `${code} ${root.message}`.trim().slice(0, 200), err);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return unreachableError(target, 'dns', url, root.message, err);
  }
  if (code === 'ECONNREFUSED') return unreachableError(target, 'refused', url, root.message, err);
  if (
    root.name === 'TimeoutError' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'ETIMEDOUT'
  ) {
    return unreachableError(target, 'timeout', url, `no answer within ${formatMs(timeoutMs)}`, err);
  }
  if (isTransientNetworkError(err)) return unreachableError(target, 'reset', url, root.message, err);
  return unreachableError(target, 'network', url, `${code} ${root.message}`.trim(), err);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Parses a distribution-spec error body; returns [] for anything else. */
export function parseDiagnostics(body: string): WireDiagnostic[] {
  try {
    const json = JSON.parse(body) as { errors?: Array<{ code?: unknown; message?: unknown }> };
    if (!Array.isArray(json.errors)) return [];
    return json.errors.map((e) => ({
      code: typeof e.code === 'string' ? e.code : '',
      message: typeof e.message === 'string' ? redact(e.message) : '',
    }));
  } catch {
    return [];
  }
}
