import type { ImageRef } from '../image-ref/index.js';

/** The `apiVersion` and `kind` every lock file carries, so a stray JSON file is never read as one. */
export const LOCK_API_VERSION = 'kubefresh.io/v1alpha1';
export const LOCK_KIND = 'ImageLock';

/** What one tag resolved to, and when. */
export interface LockEntry {
  /** `sha256:<64 hex>`: the digest of what the tag names (the index for multi-platform images). */
  readonly digest: string;
  /** The media type the registry reported for it (an index, a manifest list or a manifest). */
  readonly mediaType: string;
  /** When it was resolved: an ISO 8601 UTC timestamp. */
  readonly resolvedAt: string;
}

/** A lock: fully qualified `registry/repository:tag` → what it resolved to. */
export interface ImageLock {
  readonly images: ReadonlyMap<string, LockEntry>;
}

/**
 * The key a reference is locked under: fully qualified with the tag it pulls, so `nginx:1.27` and
 * `docker.io/library/nginx:1.27` share one entry. Undefined for a digest-only reference (nothing to lock).
 */
export function lockKey(ref: ImageRef): string | undefined {
  const tag = ref.effectiveTag();
  return tag === undefined ? undefined : `${ref.name()}:${tag}`;
}

/** A lock holding `entries` (later entries win for one key). */
export function createLock(entries: Iterable<readonly [string, LockEntry]> = []): ImageLock {
  return { images: new Map(entries) };
}

/** The entry for `ref` in `lock`, if any. */
export function lookupLock(lock: ImageLock, ref: ImageRef): LockEntry | undefined {
  const key = lockKey(ref);
  return key === undefined ? undefined : lock.images.get(key);
}
