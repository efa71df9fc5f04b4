/**
 * `kubefresh pin`: rewrite manifests so every container image names a digest, `repo:tag` →
 * `repo:tag@sha256:<digest>`. The tag stays for people; the digest is what the kubelet pulls, so
 * a moved tag can no longer change what runs (the seed guide's first rule: immutable references).
 *
 * - The digest is that of what the tag names right now: the index for multi-platform images, never
 *   a platform child (pinning a child breaks every node of another architecture). It comes from a
 *   HEAD, which Docker Hub does not count against pull limits.
 * - Each distinct tag is resolved once, all concurrently. Images already pinned are checked to exist
 *   by digest and left alone; `refresh` resolves their tags again and replaces digests that moved.
 * - `fromLock` pins offline from a lock file written by an earlier run (core/lock).
 * - Failures are data: each names its input, line and column, the image, and the registry's answer
 *   class (not found, unauthorized, denied, rate limited, unreachable, tls, protocol). The pipeline
 *   never writes; by default callers write nothing when any image failed.
 * - The text changes only inside the rewritten scalars (core/rewrite); input with nothing to change
 *   comes back identical, and pinning twice gives what pinning once gave.
 */
export { type CheckResult, checkPinned } from './check.js';
export { pinManifests } from './pin.js';
export type {
  ImageOccurrence,
  PinChange,
  PinFailure,
  PinFailureClass,
  PinInput,
  PinnedFile,
  PinOptions,
  PinResult,
  PinState,
} from './types.js';
