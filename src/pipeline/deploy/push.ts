import type { ImageRef } from '../../core/image-ref/index.js';
import type { Registry } from '../../ports/registry.js';

/** What pushing an image needs from an archive (see `adapters/build` `readImageArchive`). */
export interface PushableImage {
  readonly top: { readonly digest: string; readonly mediaType: string; readonly bytes: Uint8Array };
  readonly children: readonly {
    readonly digest: string;
    readonly mediaType: string;
    readonly bytes: Uint8Array;
  }[];
  readonly blobsOf: ReadonlyMap<string, readonly string[]>;
  blob(digest: string): Promise<Uint8Array>;
}

export interface PushSummary {
  /** The digest the registry stored the top manifest under. */
  readonly digest: string;
  readonly blobs: number;
  /** Blobs the repository already had (not uploaded again). */
  readonly skipped: number;
  readonly bytes: number;
}

/**
 * Pushes an image with kubefresh's own registry client: each blob once (skipped when the
 * repository has it), each platform manifest by digest, then the top manifest under `tag`.
 */
export async function pushImage(
  registry: Registry,
  repository: ImageRef,
  image: PushableImage,
  tag: string,
  signal?: AbortSignal,
): Promise<PushSummary> {
  const seen = new Set<string>();
  let skipped = 0;
  let bytes = 0;
  for (const digests of image.blobsOf.values()) {
    for (const digest of digests) {
      if (seen.has(digest)) continue;
      seen.add(digest);
      signal?.throwIfAborted();
      if (await registry.hasBlob(repository, digest)) {
        skipped++;
        continue;
      }
      const data = await image.blob(digest);
      bytes += data.byteLength;
      await registry.pushBlob(repository, digest, data);
    }
  }
  for (const child of image.children) {
    signal?.throwIfAborted();
    await registry.putManifest(repository, child.digest, child.mediaType, child.bytes);
  }
  signal?.throwIfAborted();
  const digest = await registry.putManifest(repository, tag, image.top.mediaType, image.top.bytes);
  return { digest, blobs: seen.size, skipped, bytes };
}
