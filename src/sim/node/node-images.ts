import type { StoredImage } from './image-store.js';

/** `nodeStatusMaxImages` default: node.status.images lists at most this many images. */
export const DEFAULT_NODE_STATUS_MAX_IMAGES = 50;
/** `MaxNamesPerImageInNodeStatus`: names beyond this are dropped (tags go first). */
export const MAX_NAMES_PER_IMAGE = 5;

export interface ContainerImage {
  names: string[];
  sizeBytes: number;
}

/**
 * `node.status.images` as the kubelet's `nodestatus.Images` setter builds it: largest first,
 * truncated to `maxImages` (-1 means no cap), each with repo digests then repo tags, cut to 5 names.
 */
export function nodeStatusImages(
  images: readonly StoredImage[],
  maxImages: number = DEFAULT_NODE_STATUS_MAX_IMAGES,
): ContainerImage[] {
  const sorted = [...images].sort((a, b) => b.size - a.size);
  const kept = maxImages < 0 ? sorted : sorted.slice(0, maxImages);
  return kept.map((image) => ({
    names: [...image.repoDigests, ...image.repoTags].slice(0, MAX_NAMES_PER_IMAGE),
    sizeBytes: image.size,
  }));
}
