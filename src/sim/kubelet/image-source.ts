import type { ImageRef } from '../../core/image-ref/index.js';
import type { ImageConfig } from '../node/index.js';

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string | undefined;
}

/** Registry credentials, as an imagePullSecret or registries.yaml `configs.<host>.auth` gives them. */
export interface RegistryCredential {
  readonly username: string;
  readonly password: string;
}

export interface ResolveRequest {
  readonly ref: ImageRef;
  /** The node's os/architecture: picks the child of a multi-platform index. */
  readonly platform: Platform;
  /** Tried in order (the kubelet's keyring order); empty means anonymous. */
  readonly credentials: readonly RegistryCredential[];
  readonly signal?: AbortSignal | undefined;
}

/** What a pull learns about an image: everything the node's store and the runtime need. */
export interface ResolvedImage {
  /** Digest of what the reference named: the index digest for a multi-platform tag. */
  readonly digest: string;
  readonly mediaType: string;
  /** The manifest for the requested platform (equal to `digest` for a single-platform image). */
  readonly platformDigest: string;
  /** `sha256:<config>`: the image id containerd reports. */
  readonly configDigest: string;
  readonly config: ImageConfig;
  /** Manifest + config + layers of the platform image, in bytes (what CRI reports as size). */
  readonly size: number;
}

/**
 * Where a kubelet's pulls come from (the node's containerd talking to registries). Implementations
 * throw {@link PullError} whose message reads like containerd's, because it ends up verbatim in
 * `Failed to pull image "…": <message>` events and `ErrImagePull` waiting messages.
 */
export interface ImageSource {
  resolve(request: ResolveRequest): Promise<ResolvedImage>;
}

/** A failed pull; `message` is the containerd-style text (`failed to pull and unpack image "…": …`). */
export class PullError extends Error {
  override readonly name = 'PullError';
  constructor(
    message: string,
    /** Coarse cause, for tests and diagnosis: what a user would have to fix. */
    readonly kind:
      | 'not-found'
      | 'unauthorized'
      | 'unreachable'
      | 'tls'
      | 'rate-limited'
      | 'platform'
      | 'other',
  ) {
    super(message);
  }
}
