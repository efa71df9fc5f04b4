import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MEDIA_TYPES } from '../../core/oci/index.js';
import {
  type Blob,
  type BuiltArtifact,
  type BuiltImage,
  blobsOf,
  manifestsOf,
  selectPlatform,
} from './build.js';
import { writeTar } from './tar.js';

/** How an archived image is named. */
export interface ArchiveOptions {
  /**
   * The full image name recorded for importers, e.g. `docker.io/library/app:v1`. containerd's
   * `ctr images import` uses it as the image name (annotation `io.containerd.image.name`).
   */
  readonly name?: string;
}

function tagOf(name: string): string | undefined {
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  return colon < 0 ? undefined : name.slice(colon + 1);
}

function blobPath(b: Blob): string {
  return `blobs/sha256/${b.digest.slice('sha256:'.length)}`;
}

/**
 * The files of an OCI image layout (image-spec `image-layout.md`): `oci-layout`, `index.json`
 * pointing at the artifact, and every blob under `blobs/sha256/`.
 */
export function ociLayoutFiles(artifact: BuiltArtifact, options: ArchiveOptions = {}): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
  const annotations: Record<string, string> = {};
  if (options.name) {
    annotations['io.containerd.image.name'] = options.name;
    const tag = tagOf(options.name);
    if (tag) annotations['org.opencontainers.image.ref.name'] = tag;
  }
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: [
      {
        mediaType: artifact.mediaType,
        digest: artifact.digest,
        size: artifact.size,
        ...(options.name ? { annotations } : {}),
      },
    ],
  };
  files.set('index.json', Buffer.from(JSON.stringify(index)));
  for (const b of [...blobsOf(artifact), ...manifestsOf(artifact)]) files.set(blobPath(b), b.bytes);
  return files;
}

/** Writes an OCI image layout directory (each file via a temp file and rename). */
export function writeOciLayout(dir: string, artifact: BuiltArtifact, options: ArchiveOptions = {}): void {
  for (const [path, bytes] of ociLayoutFiles(artifact, options)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.tmp-${process.pid}`;
    writeFileSync(temp, bytes);
    renameSync(temp, target);
  }
}

/** An OCI layout as one tar (what `ctr images export`, `skopeo copy oci-archive:` and K3s imports use). */
export function ociArchive(artifact: BuiltArtifact, options: ArchiveOptions = {}): Buffer {
  return writeTar([...ociLayoutFiles(artifact, options)].map(([path, content]) => ({ path, content })));
}

/**
 * A `docker save` archive (the classic format): `manifest.json` naming the config and layers,
 * `repositories`, and the blobs. A multi-platform index is archived as its linux/amd64 child
 * (or its first), as docker-archive holds one image per name.
 */
export function dockerArchive(artifact: BuiltArtifact, options: ArchiveOptions = {}): Buffer {
  const image: BuiltImage =
    artifact.kind === 'image'
      ? artifact
      : (selectPlatform(artifact, 'linux/amd64') ?? artifact.manifests[0]!);
  const name = options.name;
  const manifest = [
    {
      Config: blobPath(image.config),
      RepoTags: name ? [name] : [],
      Layers: image.layers.map(blobPath),
    },
  ];
  const entries = [
    { path: 'manifest.json', content: JSON.stringify(manifest) },
    ...(name && tagOf(name)
      ? [
          {
            path: 'repositories',
            content: JSON.stringify({
              [name.slice(0, name.length - tagOf(name)!.length - 1)]: {
                [tagOf(name)!]: image.layers.at(-1)?.digest.slice(7) ?? '',
              },
            }),
          },
        ]
      : []),
    ...[image.config, ...image.layers].map((b) => ({ path: blobPath(b), content: b.bytes })),
  ];
  return writeTar(entries);
}
