import { type Platform, pickPlatform } from '../oci/index.js';
import { type ImageIdentity, parseImageId } from './image-id.js';

/** One platform's image inside an index, as the registry serves it. */
export interface RegistryImageChild {
  readonly platform: Platform;
  readonly digest: string;
  /** The child manifest's `config.digest`, when it was read. */
  readonly configDigest?: string;
}

/** What a reference resolves to in the registry now. */
export interface RegistryImage {
  /** The top-level digest (the index for a multi-platform image). */
  readonly digest: string;
  readonly mediaType: string;
  /** Index entries; empty or absent for a single-platform image. */
  readonly children?: readonly RegistryImageChild[];
  /** The config digest of a single-platform image, when it was read. */
  readonly configDigest?: string;
}

/** How a running digest matched: the index/manifest itself, the node's platform child, or a config digest. */
export type MatchKind = 'top' | 'platform-child' | 'config';

export type MatchResult =
  | { readonly matched: true; readonly kind: MatchKind; readonly runningDigest: string }
  | {
      readonly matched: false;
      /** The digest the pod runs, or undefined when its imageID is empty. */
      readonly runningDigest: string | undefined;
      /** True when the imageID is a bare config digest (an imported image). */
      readonly bareConfig: boolean;
    };

/**
 * Compares a pod's `imageID` with what the registry serves (semantics §3): equal to the top digest,
 * to the child for `nodePlatform`, or (bare `sha256:`) to that child's or the manifest's config
 * digest is a match; the repository in the imageID is not compared.
 */
export function matchRunningDigest(
  imageId: string | ImageIdentity | undefined,
  image: RegistryImage,
  nodePlatform?: Platform,
): MatchResult {
  const identity = typeof imageId === 'object' ? imageId : parseImageId(imageId);
  if (identity.kind === 'none') return { matched: false, runningDigest: undefined, bareConfig: false };
  const running = identity.digest;
  const children = image.children ?? [];
  const child = nodePlatform === undefined ? undefined : pickPlatform(children, nodePlatform);
  if (identity.kind === 'repo-digest') {
    if (running === image.digest) return { matched: true, kind: 'top', runningDigest: running };
    // Without the node's platform any child counts: the pod runs some image of this index.
    const candidates = child === undefined ? (nodePlatform === undefined ? children : []) : [child];
    if (candidates.some((c) => c.digest === running))
      return { matched: true, kind: 'platform-child', runningDigest: running };
    return { matched: false, runningDigest: running, bareConfig: false };
  }
  const configs =
    children.length === 0
      ? [image.configDigest]
      : (child === undefined ? (nodePlatform === undefined ? children : []) : [child]).map(
          (c) => c.configDigest,
        );
  // A bare digest equal to the top digest happens with runtimes that report the manifest digest bare.
  if (running === image.digest) return { matched: true, kind: 'top', runningDigest: running };
  if (configs.some((c) => c !== undefined && c === running))
    return { matched: true, kind: 'config', runningDigest: running };
  return { matched: false, runningDigest: running, bareConfig: true };
}
