/**
 * The image lock file: what each tag resolved to when `kubefresh pin --lock FILE` ran, so a later
 * `kubefresh pin --from-lock FILE` pins the same manifests to the same digests without a registry
 * (offline, air-gapped, or reproducibly in CI). Format: docs/lock-file.md.
 *
 * - Keys are fully qualified `registry/repository:tag` (`docker.io/library/nginx:1.27`), so every
 *   spelling of one image shares an entry; a reference without a tag locks as `:latest`.
 * - Each entry holds the digest of what the tag names (the index for multi-platform images, never a
 *   platform child), the media type the registry reported, and when it was resolved (UTC).
 * - The text is deterministic (sorted keys, fixed field order), so unchanged locks are unchanged bytes.
 */
export { formatLock } from './format.js';
export {
  createLock,
  type ImageLock,
  LOCK_API_VERSION,
  LOCK_KIND,
  type LockEntry,
  lockKey,
  lookupLock,
} from './lock.js';
export { parseLock } from './parse.js';
