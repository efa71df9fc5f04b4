import type { DoctorCode } from './codes.js';
import type { RegistryErrorClass } from './types.js';

/**
 * The classify table (skaffold's validator): container waiting reasons, terminated reasons, kubelet
 * event text and registry error classes → doctor codes. The recommend table (`recommend.ts`) is
 * kept apart so each can be read, tested and documented on its own.
 */

/** What a waiting reason means; `pull` is refined by the error text. */
export type WaitingClass = DoctorCode | 'pull';

/** Waiting reasons (semantics §6) → code. Reasons not listed are transient (`ContainerCreating`). */
export const WAITING_REASONS: Readonly<Record<string, WaitingClass>> = {
  ErrImagePull: 'pull',
  ImagePullBackOff: 'pull',
  RegistryUnavailable: 'pull',
  ImageInspectError: 'pull',
  ErrImageNeverPull: 'PULL_NEVER_NOT_PRESENT',
  InvalidImageName: 'INVALID_IMAGE_NAME',
  CreateContainerConfigError: 'CONFIG_MISSING',
  CrashLoopBackOff: 'CRASH_LOOP',
  RunContainerError: 'CRASH_LOOP',
};

/**
 * containerd / kubelet pull-error substrings → code, first match wins (semantics §6: classify by
 * substring, never by the whole message, which changes between versions). The order matters:
 * `pull access denied, repository does not exist…` is auth, not not-found; TLS before network.
 */
export const PULL_ERROR_SUBSTRINGS: readonly (readonly [string, DoctorCode])[] = [
  ['http: server gave HTTP response to HTTPS client', 'PULL_HTTP_TO_HTTPS'],
  ['x509:', 'PULL_TLS'],
  ['tls: failed to verify certificate', 'PULL_TLS'],
  ['429 Too Many Requests', 'PULL_RATE_LIMITED'],
  ['toomanyrequests', 'PULL_RATE_LIMITED'],
  ['pull access denied', 'PULL_AUTH'],
  ['401 Unauthorized', 'PULL_AUTH'],
  ['403 Forbidden', 'PULL_AUTH'],
  ['no basic auth credentials', 'PULL_AUTH'],
  ['failed to fetch anonymous token', 'PULL_AUTH'],
  ['failed to fetch oauth token', 'PULL_AUTH'],
  ['failed to authorize', 'PULL_AUTH'],
  ['unauthorized: authentication required', 'PULL_AUTH'],
  ['denied: requested access to the resource is denied', 'PULL_AUTH'],
  ['because the registry is unavailable', 'PULL_UNREACHABLE'],
  ['connection refused', 'PULL_UNREACHABLE'],
  ['no such host', 'PULL_UNREACHABLE'],
  ['i/o timeout', 'PULL_UNREACHABLE'],
  ['context deadline exceeded', 'PULL_UNREACHABLE'],
  ['network is unreachable', 'PULL_UNREACHABLE'],
  ['no route to host', 'PULL_UNREACHABLE'],
  ['connection reset by peer', 'PULL_UNREACHABLE'],
  ['Try again', 'PULL_UNREACHABLE'],
  ['no match for platform in manifest', 'PULL_NOT_FOUND'],
  ['manifest unknown', 'PULL_NOT_FOUND'],
  [': not found', 'PULL_NOT_FOUND'],
  ['not found', 'PULL_NOT_FOUND'],
];

/** kubefresh's own registry probe → the pull code it points to. */
export const REGISTRY_ERROR_CODES: Readonly<Record<RegistryErrorClass, DoctorCode | undefined>> = {
  'not-found': 'PULL_NOT_FOUND',
  unauthorized: 'PULL_AUTH',
  denied: 'PULL_AUTH',
  unreachable: 'PULL_UNREACHABLE',
  tls: 'PULL_TLS',
  'plain-http': 'PULL_HTTP_TO_HTTPS',
  'rate-limited': 'PULL_RATE_LIMITED',
  other: undefined,
};

/** Classifies a pull error by substring; undefined when nothing matches. */
export function classifyPullError(text: string): DoctorCode | undefined {
  for (const [needle, code] of PULL_ERROR_SUBSTRINGS) if (text.includes(needle)) return code;
  return undefined;
}

const WRAPPERS = [
  /^rpc error: code = \w+ desc = /,
  /^failed to pull and unpack image "[^"]*": /,
  /^failed to resolve reference "[^"]*": /,
  /^failed to resolve image: /,
  /^Failed to pull image "[^"]*": /,
];

/** The cause inside containerd's wrappers: `…: failed to resolve reference "x": <cause>` → `<cause>`. */
export function pullErrorCause(text: string): string {
  let rest = text.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const wrapper of WRAPPERS) {
      const next = rest.replace(wrapper, '');
      if (next !== rest) {
        rest = next;
        changed = true;
      }
    }
  }
  return rest;
}

/** What a CreateContainerConfigError or FailedMount message says is missing. */
export interface MissingConfig {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly namespace?: string;
  readonly name: string;
  /** Set when the object exists but lacks this key. */
  readonly key?: string;
  /** Set for volume mounts (FailedMount). */
  readonly volume?: string;
}

/** Object names (DNS-1123 subdomains), namespaces (labels) and data keys as the API server allows them. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DATA_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/**
 * Parses the kubelet's config errors (semantics §6); undefined for other text. Events can be posted
 * by anyone with `create events`, so a name or key the API server would never accept is not a
 * missing object: it is ignored rather than carried into a fix.
 */
export function parseMissingConfig(text: string): MissingConfig | undefined {
  const parsed = parseMissingText(text);
  if (parsed === undefined || !OBJECT_NAME.test(parsed.name)) return undefined;
  if (parsed.namespace !== undefined && !NAMESPACE_NAME.test(parsed.namespace)) return undefined;
  if (parsed.key !== undefined && !DATA_KEY.test(parsed.key)) return undefined;
  return parsed;
}

function parseMissingText(text: string): MissingConfig | undefined {
  const key = /couldn't find key (\S+) in (ConfigMap|Secret) ([^/\s]+)\/(\S+)/.exec(text);
  if (key) return { kind: key[2] as 'ConfigMap' | 'Secret', namespace: key[3]!, name: key[4]!, key: key[1]! };
  const volume = /volume "([^"]+)" : (configmap|secret) "([^"]+)" not found/.exec(text);
  if (volume) {
    return { kind: volume[2] === 'secret' ? 'Secret' : 'ConfigMap', name: volume[3]!, volume: volume[1]! };
  }
  const object = /(configmap|secret) "([^"]+)" not found/.exec(text);
  if (object) return { kind: object[1] === 'secret' ? 'Secret' : 'ConfigMap', name: object[2]! };
  return undefined;
}
