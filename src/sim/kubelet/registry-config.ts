import type { ImageRef } from '../../core/image-ref/index.js';
import { isLoopbackRegistry } from '../../core/image-ref/index.js';
import type { RegistryCredential } from './image-source.js';

/** `/etc/rancher/k3s/registries.yaml` for one node. */
export interface RegistriesConfig {
  /** `mirrors.<registry>`: endpoints tried in order before the default one; `"*"` matches any registry. */
  readonly mirrors?: Readonly<Record<string, MirrorConfig>> | undefined;
  /** `configs.<host:port>`: auth and TLS per endpoint host. */
  readonly configs?: Readonly<Record<string, HostConfig>> | undefined;
  /** `--disable-default-registry-endpoint`: no fallback to the registry itself after the mirrors. */
  readonly disableDefaultEndpoint?: boolean | undefined;
}

export interface MirrorConfig {
  /** `http://host:port[/path]` or `https://…`; the path defaults to `/v2`. */
  readonly endpoint?: readonly string[] | undefined;
  /** Regex → replacement applied to the repository path, on mirror endpoints only. */
  readonly rewrite?: Readonly<Record<string, string>> | undefined;
}

export interface HostConfig {
  readonly auth?: RegistryCredential | undefined;
  readonly tls?:
    | {
        readonly insecureSkipVerify?: boolean | undefined;
        /** PEM text of a CA to trust (what `ca_file` points at). */
        readonly ca?: string | undefined;
      }
    | undefined;
}

/** One place a pull may be served from, after mirror and rewrite rules. */
export interface Endpoint {
  readonly scheme: 'http' | 'https';
  /** `host[:port]` as written in the endpoint. */
  readonly host: string;
  /** Usually `/v2`. */
  readonly apiPath: string;
  /** Repository path on this endpoint (rewritten for mirrors). */
  readonly repository: string;
  readonly mirror: boolean;
  readonly config: HostConfig | undefined;
}

/**
 * The endpoints containerd (configured by K3s) tries for a reference, in order: the mirrors of its
 * registry (or of `"*"`), then the registry itself unless disabled. The registry itself is reached
 * over HTTPS, except loopback hosts on a port other than 443, which containerd reaches over HTTP.
 */
export function endpointsFor(ref: ImageRef, config: RegistriesConfig = {}): Endpoint[] {
  const mirror = config.mirrors?.[ref.registry] ?? config.mirrors?.['*'];
  const endpoints: Endpoint[] = [];
  for (const text of mirror?.endpoint ?? []) {
    const url = parseEndpoint(text);
    if (!url) continue;
    endpoints.push({
      ...url,
      repository: rewrite(ref.repository, mirror?.rewrite),
      mirror: true,
      config: config.configs?.[url.host],
    });
  }
  if (!(config.disableDefaultEndpoint && endpoints.length > 0)) {
    const host = ref.apiHost();
    const already = endpoints.some((e) => e.host === host && e.repository === ref.repository);
    if (!already) {
      endpoints.push({
        scheme: isLoopbackHost(host) && portOf(host) !== 443 ? 'http' : 'https',
        host,
        apiPath: '/v2',
        repository: ref.repository,
        mirror: false,
        config: config.configs?.[host] ?? config.configs?.[ref.registry],
      });
    }
  }
  return endpoints;
}

function parseEndpoint(text: string): Pick<Endpoint, 'scheme' | 'host' | 'apiPath'> | undefined {
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const path = url.pathname.replace(/\/+$/, '');
  return {
    scheme: url.protocol === 'http:' ? 'http' : 'https',
    host: url.host,
    apiPath: path === '' ? '/v2' : path.endsWith('/v2') ? path : `${path}/v2`,
  };
}

function rewrite(repository: string, rules: Readonly<Record<string, string>> | undefined): string {
  for (const [pattern, replacement] of Object.entries(rules ?? {})) {
    const regex = new RegExp(pattern);
    if (regex.test(repository)) return repository.replace(regex, replacement);
  }
  return repository;
}

/** Loopback registries (`localhost`, 127.0.0.0/8, `[::1]`) as containerd's `IsLocalhost` sees them. */
export const isLoopbackHost: (hostPort: string) => boolean = isLoopbackRegistry;

/** The host part of `host[:port]` (brackets removed from IPv6). */
export function hostOf(hostPort: string): string {
  if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']'));
  const colon = hostPort.lastIndexOf(':');
  return colon === -1 ? hostPort : hostPort.slice(0, colon);
}

/** The port of `host[:port]`, or undefined. */
export function portOf(hostPort: string): number | undefined {
  const match = /:(\d+)$/.exec(hostPort);
  return match ? Number(match[1]) : undefined;
}
