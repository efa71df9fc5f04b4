/**
 * The OCI distribution client: the only code that talks to registries.
 *
 * A tag resolves with `HEAD /v2/<name>/manifests/<tag>` accepting all four manifest media types
 * (leave out the list type and distribution answers with the linux/amd64 child's digest instead
 * of the index's). The digest is `Docker-Content-Digest`; when a registry omits it, the manifest is
 * fetched and its exact bytes hashed, and any fetched body is verified against what was claimed.
 * HEADs do not count against Docker Hub's pull limit; GETs do, so GETs happen only when asked for.
 *
 * Auth follows the registry's `WWW-Authenticate` challenge: Bearer tokens per repository scope from
 * the realm (anonymous when there is no login), or Basic. Logins come from Docker's config.json
 * (`auths`, `credsStore`, `credHelpers`). Loopback registries fall back to plain HTTP as containerd
 * does; other hosts need `--insecure-registry`. Every failure is a `REGISTRY_*` error naming the
 * registry and repository, with credentials redacted and a hint.
 *
 * Transport: Node's http/https with kept-alive connections, at most 16 requests in flight per
 * registry. HEADs to plain-HTTP registries (local and LAN ones, the usual K3s setup) are pipelined
 * on four connections, since their answers have no body; HTTPS registries, where load balancers
 * and CDNs sit in between, are not pipelined.
 */
export { Authenticator } from './auth.js';
export { digestOf, RegistryClient, type RegistryClientOptions } from './client.js';
export {
  ANONYMOUS,
  type Credential,
  type CredentialSource,
  type DockerConfigOptions,
  dockerConfigCredentials,
  dockerConfigDir,
  runCredentialHelper,
  staticCredentials,
} from './credentials.js';
export {
  type DescribeOptions,
  describeImage,
  type ImageDescription,
  type PlatformEntry,
} from './describe.js';
export {
  isLoopbackHost,
  type RateLimitInfo,
  retryAfterMs,
  Transport,
  type TransportOptions,
} from './transport.js';
