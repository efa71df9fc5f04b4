/**
 * A container image builder driven as a subprocess: Docker, Podman or Buildah. kubefresh only asks
 * it to build and to export what it built as an archive; the push goes through kubefresh's own
 * registry client, so logins, loopback HTTP and the pushed digest are handled one way whatever the
 * builder, and the digest is read back from the registry rather than taken from the builder.
 */
export type BuilderName = 'docker' | 'podman' | 'buildah';

export interface BuildRequest {
  /** The build context directory. */
  readonly context: string;
  /** The Dockerfile (path as given; relative to the context when relative). */
  readonly file?: string;
  /** A local name for the result, e.g. `kubefresh-build/app:abc1234`. */
  readonly localName: string;
  readonly signal?: AbortSignal;
}

export interface ImageBuilder {
  readonly name: BuilderName;
  /** Builds the image under `localName`; throws `BUILD_FAILED` with the builder's last output lines. */
  build(request: BuildRequest): Promise<void>;
  /**
   * Writes `localName` as a docker or OCI archive (tar) in a new temp directory; `remove` deletes
   * it (and the builder's local copy of the image, when the builder keeps one).
   */
  exportArchive(localName: string, signal?: AbortSignal): Promise<ExportedArchive>;
}

/** An image archive written by a builder, to push and then remove. */
export interface ExportedArchive {
  readonly path: string;
  remove(): Promise<void>;
}
