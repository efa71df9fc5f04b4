import type { ImageLock } from '../../core/lock/index.js';
import type { Registry } from '../../ports/registry.js';

/** One manifest input: where it came from (a path, or `-` for stdin) and its text. */
export interface PinInput {
  readonly source: string;
  readonly text: string;
  /** The file began with a UTF-8 byte-order mark, which a rewrite keeps. */
  readonly bom?: boolean;
}

/** Whether a container image names a digest: `tag` only, `tag@digest`, or `digest` only. */
export type PinState = 'unpinned' | 'pinned' | 'digest-only';

/** One container `image` field in an input. */
export interface ImageOccurrence {
  readonly source: string;
  readonly line: number;
  readonly column: number;
  /** The image as written. */
  readonly image: string;
  readonly state: PinState;
  /** `Deployment/web`, `Pod/db`… and the container name, for messages. */
  readonly workload: string;
  readonly container: string | undefined;
}

/** One image changed in an input. */
export interface PinChange {
  readonly source: string;
  readonly line: number;
  readonly column: number;
  readonly from: string;
  readonly to: string;
}

/**
 * Why an image could not be pinned: the registry's answer class, or a problem with the input.
 * `not in lock` is `--from-lock` without an entry; `not rewritable` is a scalar that cannot be
 * changed in place (a block scalar, a folded multi-line value).
 */
export type PinFailureClass =
  | 'not found'
  | 'unauthorized'
  | 'denied'
  | 'rate limited'
  | 'unreachable'
  | 'tls'
  | 'protocol'
  | 'registry error'
  | 'invalid reference'
  | 'invalid yaml'
  | 'not in lock'
  | 'not rewritable';

/** An image (or a YAML document) that stopped a pin, with the place in its input. */
export interface PinFailure {
  readonly source: string;
  readonly line: number;
  readonly column: number;
  /** The image as written; undefined for YAML problems. */
  readonly image: string | undefined;
  readonly class: PinFailureClass;
  /** The underlying error code (`REGISTRY_NOT_FOUND`, `REF_INVALID_FORMAT`, a YAML code…). */
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/** One input after pinning. */
export interface PinnedFile {
  readonly source: string;
  readonly original: string;
  /** The input with every resolvable image pinned; identical to `original` when nothing changed. */
  readonly text: string;
  readonly changes: readonly PinChange[];
}

export interface PinResult {
  readonly files: readonly PinnedFile[];
  /** Sorted by input order, then line and column. Empty when everything pinned. */
  readonly failures: readonly PinFailure[];
  /** Every image field found, in input order. */
  readonly images: readonly ImageOccurrence[];
  /** What each tag resolved to in this run (for `--lock`); empty with `fromLock`. */
  readonly lock: ImageLock;
  /** Registry lookups made: tags resolved and pinned digests checked. */
  readonly lookups: { readonly resolved: number; readonly verified: number };
}

export interface PinOptions {
  /** Where tags resolve and pinned digests are checked. Required unless `fromLock` is given. */
  readonly registry?: Registry;
  /** Pin offline from this lock instead of asking a registry. */
  readonly fromLock?: ImageLock;
  /** Resolve tags again even where a digest is already written, and replace it when it moved. */
  readonly refresh?: boolean;
  /** Registry lookups in flight at once, across registries. Default: 32. */
  readonly concurrency?: number;
  /** Milliseconds since the epoch, for the lock's `resolvedAt`. Default: `Date.now`. */
  readonly now?: () => number;
}
