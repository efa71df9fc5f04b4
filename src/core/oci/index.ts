/**
 * OCI content model: an image is a manifest (config + layers) addressed by the sha256 of its exact
 * bytes; a multi-platform image is an index whose entries point at one manifest per os/arch.
 * A tag names either. Pods on containerd report the digest of what the tag named when pulled (the
 * index for multi-platform images), or the bare config digest for images imported without a registry.
 *
 * Platforms compare after containerd's normalization: `aarch64` is `arm64`, arm64's default
 * variant `v8` is implied, 32-bit `arm` defaults to `v7` and a v7 node also runs v6 and v5 images.
 * Registries ask for credentials with `WWW-Authenticate` challenges (Bearer token realm/service/scope,
 * or Basic); several challenges may share one header.
 */
export { digestAlgorithm, isDigest } from './digest.js';
export {
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  type ManifestSource,
  type OciManifest,
  parseOciManifest,
} from './manifest.js';
export { isIndexMediaType, isManifestMediaType, MANIFEST_ACCEPT, MEDIA_TYPES } from './media-types.js';
export {
  formatPlatform,
  normalizePlatform,
  type Platform,
  parsePlatform,
  pickPlatform,
  platformEquals,
} from './platform.js';
export { type AuthChallenge, parseWwwAuthenticate } from './www-authenticate.js';
