import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isIndexMediaType, MEDIA_TYPES } from '../../core/oci/index.js';
import { KubefreshError } from '../../errors/index.js';
import { readTarEntries } from './tar-reader.js';

/** One manifest or index, with its exact bytes (the digest is over them). */
export interface ArchivedManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

/** An image read from an OCI layout, an OCI archive or a docker archive, ready to push. */
export interface ImageArchive {
  /** The image's top manifest (an index for multi-platform images). */
  readonly top: ArchivedManifest;
  /** Child manifests of an index (pushed before it); empty for a single image. */
  readonly children: readonly ArchivedManifest[];
  /** Blobs (configs and layers) each manifest names, keyed by the manifest's digest. */
  readonly blobsOf: ReadonlyMap<string, readonly string[]>;
  /** Reads a blob by digest. */
  blob(digest: string): Promise<Uint8Array>;
  /** `oci-layout`, `oci-archive` or `docker-archive`. */
  readonly format: 'oci-layout' | 'oci-archive' | 'docker-archive';
}

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Files {
  read(path: string): Promise<Uint8Array | undefined>;
}

function bad(source: string, why: string): KubefreshError {
  return new KubefreshError(
    'BUILD_BAD_ARCHIVE',
    `"${source}" is not an image archive kubefresh can push: ${why}`,
    {
      hint: 'pass an OCI image layout directory (--from-oci) or a tar from docker save, podman save or skopeo copy (--from-tar)',
    },
  );
}

async function fromLayout(
  files: Files,
  source: string,
  format: ImageArchive['format'],
): Promise<ImageArchive> {
  const indexBytes = await files.read('index.json');
  if (indexBytes === undefined) throw bad(source, 'no index.json');
  const index = JSON.parse(Buffer.from(indexBytes).toString('utf8')) as {
    manifests?: { digest?: string; mediaType?: string }[];
  };
  const entries = index.manifests ?? [];
  if (entries.length !== 1) {
    throw bad(source, `index.json names ${entries.length} images; expected exactly one`);
  }
  const blobPath = (digest: string) => `blobs/${digest.replace(':', '/')}`;
  const readBlob = async (digest: string): Promise<Uint8Array> => {
    const bytes = await files.read(blobPath(digest));
    if (bytes === undefined) throw bad(source, `blob ${digest} is missing`);
    if (sha256(bytes) !== digest) throw bad(source, `blob ${digest} does not match its digest`);
    return bytes;
  };
  const readManifest = async (digest: string, mediaType?: string): Promise<ArchivedManifest> => {
    const bytes = await readBlob(digest);
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { mediaType?: string };
    return { digest, bytes, mediaType: mediaType ?? parsed.mediaType ?? MEDIA_TYPES.ociManifest };
  };
  const top = await readManifest(entries[0]!.digest ?? '', entries[0]!.mediaType);
  const children: ArchivedManifest[] = [];
  const blobsOf = new Map<string, string[]>();
  const collect = (m: ArchivedManifest) => {
    const parsed = JSON.parse(Buffer.from(m.bytes).toString('utf8')) as {
      config?: { digest: string };
      layers?: { digest: string }[];
    };
    blobsOf.set(m.digest, [
      ...(parsed.config ? [parsed.config.digest] : []),
      ...(parsed.layers ?? []).map((l) => l.digest),
    ]);
  };
  if (isIndexMediaType(top.mediaType)) {
    const parsed = JSON.parse(Buffer.from(top.bytes).toString('utf8')) as {
      manifests?: { digest: string; mediaType?: string }[];
    };
    for (const entry of parsed.manifests ?? []) {
      const child = await readManifest(entry.digest, entry.mediaType);
      children.push(child);
      collect(child);
    }
  } else collect(top);
  return { top, children, blobsOf, blob: readBlob, format };
}

/** `docker save` (classic): manifest.json naming a config and layer tars; an OCI manifest is made for it. */
async function fromDockerArchive(entries: Map<string, Uint8Array>, source: string): Promise<ImageArchive> {
  const list = JSON.parse(Buffer.from(entries.get('manifest.json')!).toString('utf8')) as {
    Config?: string;
    Layers?: string[];
  }[];
  if (list.length !== 1) throw bad(source, `manifest.json names ${list.length} images; expected exactly one`);
  const entry = list[0]!;
  const blobs = new Map<string, Uint8Array>();
  const add = (path: string | undefined) => {
    const bytes = path === undefined ? undefined : entries.get(path);
    if (bytes === undefined) throw bad(source, `"${path}" named in manifest.json is missing`);
    const digest = sha256(bytes);
    blobs.set(digest, bytes);
    return { digest, size: bytes.byteLength, gzip: bytes[0] === 0x1f && bytes[1] === 0x8b };
  };
  const config = add(entry.Config);
  const layers = (entry.Layers ?? []).map(add);
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: config.digest,
      size: config.size,
    },
    layers: layers.map((l) => ({
      mediaType: l.gzip
        ? 'application/vnd.oci.image.layer.v1.tar+gzip'
        : 'application/vnd.oci.image.layer.v1.tar',
      digest: l.digest,
      size: l.size,
    })),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const top = { digest: sha256(bytes), mediaType: MEDIA_TYPES.ociManifest, bytes };
  return {
    top,
    children: [],
    blobsOf: new Map([[top.digest, [config.digest, ...layers.map((l) => l.digest)]]]),
    blob: async (digest) => {
      const found = blobs.get(digest);
      if (found === undefined) throw bad(source, `blob ${digest} is missing`);
      return found;
    },
    format: 'docker-archive',
  };
}

/**
 * Reads an image to push from an OCI image layout directory, an OCI archive (a tar of a layout)
 * or a docker archive. Every blob is checked against its digest. Archives are read into memory.
 */
export async function readImageArchive(path: string): Promise<ImageArchive> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new KubefreshError(
      'IO_NOT_FOUND',
      `cannot read "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (info.isDirectory()) {
    const names = await readdir(path);
    if (!names.includes('index.json'))
      throw bad(path, 'the directory has no index.json (not an OCI image layout)');
    return fromLayout(
      {
        read: async (p) => {
          try {
            return await readFile(join(path, p));
          } catch {
            return undefined;
          }
        },
      },
      path,
      'oci-layout',
    );
  }
  const entries = readTarEntries(await readFile(path));
  if (entries.has('index.json')) {
    return fromLayout({ read: async (p) => entries.get(p) }, path, 'oci-archive');
  }
  if (entries.has('manifest.json')) return fromDockerArchive(entries, path);
  throw bad(path, 'the tar holds neither index.json nor manifest.json');
}
