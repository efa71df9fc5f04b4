/**
 * Image references, parsed and normalized exactly as distribution/reference does it (the code the
 * kubelet and containerd use), so kubefresh names images the way the cluster will.
 *
 * - `nginx` is `docker.io/library/nginx:latest`; `myhost/app` is `docker.io/myhost/app` because the
 *   first component is a registry only when it is `localhost`, contains `.` or `:`, or has uppercase.
 * - `index.docker.io` is spelled `docker.io`; the API itself answers at `registry-1.docker.io`.
 * - `name:tag@digest` keeps both; the digest is what gets pulled and the tag is for people.
 * - Tags are at most 128 characters and may use uppercase; repository paths are lowercase only and at
 *   most 255 characters; sha256 digests are exactly 64 lowercase hex characters.
 */
export {
  DEFAULT_REGISTRY,
  DOCKER_HUB_API_HOST,
  DOCKER_HUB_CREDENTIAL_KEY,
  ImageRef,
  parseImageRef,
  tryParseImageRef,
} from './image-ref.js';
