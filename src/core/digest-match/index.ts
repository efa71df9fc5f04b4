/**
 * Digest matching: does the digest a pod reports run the image the registry serves?
 *
 * A pod's `status.containerStatuses[].imageID` comes in several spellings (semantics §3):
 * containerd's `repo@sha256:<index or manifest>`, dockershim's `docker-pullable://repo@sha256:…`,
 * `docker://sha256:<id>`, and a bare `sha256:<config>` for images imported without a registry.
 * The repository in it may differ from the spec's (mirrors, other tags of the same image), so only
 * the digest is compared. A pod runs the registry's image when its digest equals the tag's
 * top-level digest (the index for multi-platform images), the index child for the node's
 * platform (CRI-O and Docker may report that), or, for a bare digest, that child's config digest.
 */
export { type ImageIdentity, parseImageId } from './image-id.js';
export {
  type MatchKind,
  type MatchResult,
  matchRunningDigest,
  type RegistryImage,
  type RegistryImageChild,
} from './match.js';
