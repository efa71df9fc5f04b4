import type { ImageRef } from '../core/image-ref/index.js';
import type { OciManifest } from '../core/oci/index.js';

/** What a tag or digest resolves to right now: the digest of the exact manifest bytes and its kind. */
export interface ResolvedDescriptor {
  readonly digest: string;
  readonly mediaType: string;
  /** Bytes of the manifest, or -1 when the registry did not say. */
  readonly size: number;
}

/** A manifest fetched by GET: its verified digest, its raw bytes and the parsed content. */
export interface FetchedManifest extends ResolvedDescriptor {
  readonly bytes: Uint8Array;
  readonly manifest: OciManifest;
}

/**
 * The registry as pipelines need it. `resolve` is the cheap question (a HEAD, which Docker Hub does
 * not count against pull limits); `fetchManifest` reads content (a GET, which it does count).
 * Implemented over HTTP by `adapters/registry`; the in-process registry is reached through it.
 * `reference` is a tag or a digest; when omitted it is the ref's own (digest first, then tag).
 */
export interface Registry {
  /** Tag or digest → digest and media type, without downloading the manifest when the registry allows. */
  resolve(ref: ImageRef, reference?: string): Promise<ResolvedDescriptor>;
  /** GETs a manifest or index; its digest is verified against the bytes. */
  fetchManifest(ref: ImageRef, reference?: string): Promise<FetchedManifest>;
  /** Every tag of the ref's repository (follows pagination). */
  listTags(ref: ImageRef): Promise<string[]>;
  /** Whether the repository already holds a blob (so a push can skip it). */
  hasBlob(ref: ImageRef, digest: string): Promise<boolean>;
  /** Uploads a blob (monolithic POST + PUT); a no-op when it already exists. */
  pushBlob(ref: ImageRef, digest: string, data: Uint8Array): Promise<void>;
  /** PUTs a manifest under a tag or digest; returns the digest the registry stored it under. */
  putManifest(ref: ImageRef, reference: string, mediaType: string, bytes: Uint8Array): Promise<string>;
}
