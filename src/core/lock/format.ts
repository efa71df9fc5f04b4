import { type ImageLock, LOCK_API_VERSION, LOCK_KIND } from './lock.js';

/**
 * The lock file text: JSON, two-space indented, images sorted by key and fields in a fixed order,
 * ending with a newline, so equal locks are equal bytes and diffs show only what moved.
 */
export function formatLock(lock: ImageLock): string {
  const keys = [...lock.images.keys()].sort();
  const images: Record<string, { digest: string; mediaType: string; resolvedAt: string }> = {};
  for (const key of keys) {
    const entry = lock.images.get(key)!;
    images[key] = { digest: entry.digest, mediaType: entry.mediaType, resolvedAt: entry.resolvedAt };
  }
  return `${JSON.stringify({ apiVersion: LOCK_API_VERSION, kind: LOCK_KIND, images }, null, 2)}\n`;
}
