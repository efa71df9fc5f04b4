/**
 * OCI content model: an image is a manifest (config + layers) addressed by the sha256 of its exact
 * bytes; a multi-platform image is an index whose entries point at one manifest per os/arch.
 * A tag names either. Pods on containerd report the digest of what the tag named when pulled (the
 * index for multi-platform images), or the bare config digest for images imported without a registry.
 */
export { isIndexMediaType, isManifestMediaType, MANIFEST_ACCEPT, MEDIA_TYPES } from './media-types.js';
