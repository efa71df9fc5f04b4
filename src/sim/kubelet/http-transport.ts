import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { NodeNetwork } from './node-network.js';
import { hostOf } from './registry-config.js';

export interface TransportRequest {
  readonly method: 'GET' | 'HEAD';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly ca?: string | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A request that never got a response; `goError` is how Go's net/http would describe it. */
export class DialError extends Error {
  override readonly name = 'DialError';
  constructor(
    readonly goError: string,
    readonly kind: 'unreachable' | 'tls',
  ) {
    super(goError);
  }
}

/** Bodies larger than this are not registry manifests or configs; stop reading. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Real time a node waits for a registry before giving up (containerd's dial timeout is 30 s). */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * One HTTP(S) round trip from a node, through node:http so the node's view of the network
 * (node-local loopback, aliases, no external DNS) and its TLS trust apply. Failures before a
 * response become {@link DialError}s carrying Go's wording.
 */
export function nodeRequest(network: NodeNetwork, request: TransportRequest): Promise<TransportResponse> {
  const url = new URL(request.url);
  const scheme = url.protocol === 'http:' ? 'http' : 'https';
  const plan = network.plan(url.host, scheme);
  if (!plan.ok) return Promise.reject(new DialError(plan.error, 'unreachable'));
  const address = plan.address;
  const lookup: LookupFunction | undefined =
    address === undefined
      ? undefined
      : (_host, options, callback) => {
          const family = address.includes(':') ? 6 : 4;
          if ((options as { all?: boolean }).all) {
            (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
              { address, family },
            ]);
          } else callback(null, address, family);
        };
  const hostname = hostOf(url.host);
  const port = url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port);
  return new Promise<TransportResponse>((resolve, reject) => {
    const options: https.RequestOptions = {
      method: request.method,
      hostname: address !== undefined && /^[\d.:]+$/.test(hostname) ? address : hostname,
      port,
      path: `${url.pathname}${url.search}`,
      headers: { 'user-agent': 'containerd/1.7.27-k3s1', ...request.headers },
      agent: scheme === 'https' ? network.httpsAgent : network.httpAgent,
      timeout: REQUEST_TIMEOUT_MS,
      ...(lookup ? { lookup } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    };
    if (scheme === 'https') {
      options.servername = /^[\d.:]+$/.test(hostname) ? undefined : hostname;
      if (request.ca) options.ca = request.ca;
      if (request.insecureSkipVerify) options.rejectUnauthorized = false;
    }
    const req = (scheme === 'https' ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > MAX_BODY_BYTES) {
          req.destroy(new Error('response body too large'));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', (error) => reject(toDialError(error, hostname, port, address)));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error) => reject(toDialError(error, hostname, port, address)));
    req.end();
  });
}

function toDialError(error: unknown, host: string, port: number, address: string | undefined): Error {
  if (error instanceof DialError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  const ip = address ?? host;
  const target = ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  if (code === 'ABORT_ERR') return error as Error;
  if (code === 'ECONNREFUSED')
    return new DialError(`dial tcp ${target}: connect: connection refused`, 'unreachable');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new DialError(`dial tcp: lookup ${host}: no such host`, 'unreachable');
  if (code === 'ETIMEDOUT') return new DialError(`dial tcp ${target}: i/o timeout`, 'unreachable');
  if (code === 'ECONNRESET')
    return new DialError(`read tcp ${target}: read: connection reset by peer`, 'unreachable');
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long/i.test(message))
    return new DialError('http: server gave HTTP response to HTTPS client', 'tls');
  if (
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
  )
    return new DialError(
      'tls: failed to verify certificate: x509: certificate signed by unknown authority',
      'tls',
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    // Node: "Host: other.sim. is not in the cert's altnames: DNS:registry.sim, IP Address:10.0.0.1"
    const at = message.lastIndexOf('altnames: ');
    const altnames = at === -1 ? '' : message.slice(at + 'altnames: '.length);
    const names = altnames
      .split(',')
      .map((name) => name.trim().replace(/^(DNS|IP Address):/, ''))
      .filter((name) => name !== '')
      .join(', ');
    return new DialError(
      `tls: failed to verify certificate: x509: certificate is valid for ${names || 'other names'}, not ${host}`,
      'tls',
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return new DialError(
      'tls: failed to verify certificate: x509: certificate has expired or is not yet valid',
      'tls',
    );
  return new DialError(`${message}`, 'unreachable');
}
