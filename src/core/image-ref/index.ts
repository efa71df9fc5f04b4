/**
 * Image references, parsed and normalized exactly as distribution/reference does it (the code the
 * kubelet and containerd use), so kubefresh names images the way the cluster will.
 *
 * - `nginx` is `docker.io/library/nginx:latest`; `myhost/app` is `docker.io/myhost/app` because the
 *   first component is a registry only when it is `localhost`, contains `.` or `:`, or has uppercase.
 * - `index.docker.io` is spelled `docker.io`; the API itself answers at `registry-1.docker.io`.
 * - Hosts may be DNS names, IPv4 or bracketed IPv6 (`[::1]:5000`), each with an optional port.
 * - `name:tag@digest` keeps both; the digest is what gets pulled and the tag is for people.
 * - Tags are at most 128 characters and may use uppercase; repository paths are lowercase only and at
 *   most 255 characters (the path, not the registry); a bare 64-hex string is an image ID, never a
 *   name; sha256 digests are exactly 64 lowercase hex characters (go-digest).
 * - Errors use the library's own wording (`invalid reference format`, `repository name must be
 *   lowercase`, …), which is what users read in the kubelet's `InvalidImageName` events.
 */
export { digestProblem } from './digest-check.js';
export {
  DEFAULT_REGISTRY,
  DEFAULT_TAG,
  DOCKER_HUB_API_HOST,
  DOCKER_HUB_CREDENTIAL_KEY,
  ImageRef,
  type ImageRefErrorCode,
  parseImageRef,
  tryParseImageRef,
} from './image-ref.js';
export { isLoopbackRegistry, registryHost } from './loopback.js';
