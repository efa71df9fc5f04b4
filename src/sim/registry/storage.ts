/** A manifest as stored: its exact bytes (the digest is over these) and the media type it was pushed with. */
export interface StoredManifest {
  readonly mediaType: string;
  readonly bytes: Buffer;
}

/**
 * Where the registry keeps content. Blobs are content-addressed and shared; each repository links
 * the blobs and manifests pushed into it (so a blob pushed to `a` is unknown in `b` until mounted,
 * as in distribution) and maps tags to manifest digests.
 */
export interface RegistryStorage {
  getBlob(digest: string): Buffer | undefined;
  putBlob(digest: string, bytes: Uint8Array): void;
  /** Links a blob (already stored) into a repository, creating the repository if needed. */
  linkBlob(repository: string, digest: string): void;
  isBlobLinked(repository: string, digest: string): boolean;
  unlinkBlob(repository: string, digest: string): void;
  getManifest(repository: string, digest: string): StoredManifest | undefined;
  putManifest(repository: string, digest: string, manifest: StoredManifest): void;
  /** Removes the manifest from the repository and every tag pointing at it. */
  deleteManifest(repository: string, digest: string): boolean;
  getTag(repository: string, tag: string): string | undefined;
  setTag(repository: string, tag: string, digest: string): void;
  deleteTag(repository: string, tag: string): boolean;
  /** Tags of a repository in lexical order, or undefined when the repository does not exist. */
  listTags(repository: string): string[] | undefined;
  /** Repository names in lexical order. */
  listRepositories(): string[];
}

/** Byte-wise lexical order, as distribution sorts tags and repositories. */
export function lexical(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
