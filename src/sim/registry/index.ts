/**
 * An OCI distribution registry (the protocol `docker push`, skopeo and containerd speak), served
 * from this process with `node:http`. It stores blobs by digest, manifests with the media type they
 * were pushed with, and tags that point at manifest digests; a tag can move, a digest never does.
 *
 * Fidelity points that kubefresh's findings depend on (semantics.md §7):
 * - every manifest and blob answer carries `Docker-Content-Digest` (unless a fault removes it, like
 *   a registry older than distribution 2.3), so clients resolve tags with HEAD alone;
 * - content negotiation is distribution's: a Docker manifest list fetched by tag without the list
 *   type in `Accept` comes back as its linux/amd64 child; an OCI index without the index type is a 404;
 * - errors are `{"errors":[{"code":"MANIFEST_UNKNOWN","message":…}]}` with distribution's codes;
 * - optional Basic auth or Docker token auth with its own `/token` endpoint and denied repositories;
 * - fault injection per request matcher (latency, 429 + Retry-After, 5xx, dropped connections).
 *
 * `startRegistry({host: '127.0.0.1', port: 0})` gives `{url, host, close()}`; `registry.log` counts
 * requests by method, which benchmarks use to prove that HEAD, not GET, resolved a tag.
 */
export type { Access, BasicAuthOptions, DenyRule, RegistryAuthOptions, TokenAuthOptions } from './auth.js';
export { isDigest, sha256Digest } from './digest.js';
export { DirectoryStorage } from './directory-storage.js';
export { OCI_ERRORS, OciError, type OciErrorCode } from './errors.js';
export type { FaultHandle, FaultMatcher, FaultRule, FaultSet } from './faults.js';
export { MemoryStorage } from './memory-storage.js';
export {
  InProcessRegistry,
  type ListenOptions,
  type RegistryOptions,
  type RunningRegistry,
  startRegistry,
} from './registry.js';
export type { RequestKind } from './request-kind.js';
export type { RequestFilter, RequestLog, RequestRecord } from './request-log.js';
export type { RegistryStorage, StoredManifest } from './storage.js';
