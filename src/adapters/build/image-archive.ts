import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonProblem } from '../../core/config-text/index.js';
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
  /** The file's bytes, undefined when it is not there; at most `limit` bytes. */
  read(path: string, limit?: number): Promise<Uint8Array | undefined>;
}

/** Digests as the OCI image spec registers them; anything else is refused before a path is built. */
const BLOB_DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
/** Manifests and indexes are small JSON; the registry side caps them at 4 MiB too. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

function parseJson(source: string, what: string, bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes).toString('utf8');
  const problem = jsonProblem(text);
  if (problem !== undefined)
    throw bad(
      source,
      `${what} is not valid JSON at line ${problem.line}, column ${problem.column}: ${problem.reason}`,
    );
  return JSON.parse(text);
}

/**
 * Reads a file of an image layout: a regular file only (a FIFO, a device or a directory is
 * refused without blocking: the open is non-blocking and the type is checked on the descriptor),
 * and no more than `limit` bytes.
 */
async function readRegular(source: string, path: string, limit: number): Promise<Uint8Array | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw bad(source, `cannot open ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw bad(source, `${path} is not a regular file`);
    if (info.size > limit) throw bad(source, `${path} is ${info.size} bytes, more than the ${limit} allowed`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Blobs (layers) may be large, but not larger than any registry would take. */
const MAX_BLOB_BYTES = 16 * 1024 * 1024 * 1024;

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
  const indexBytes = await files.read('index.json', MAX_MANIFEST_BYTES);
  if (indexBytes === undefined) throw bad(source, 'no index.json');
  const index = parseJson(source, 'index.json', indexBytes) as {
    manifests?: { digest?: string; mediaType?: string }[];
  };
  const entries = Array.isArray(index?.manifests) ? index.manifests : [];
  if (entries.length !== 1) {
    throw bad(source, `index.json names ${entries.length} images; expected exactly one`);
  }
  // A digest becomes a path only once it is `algorithm:hex`: `sha256:../../etc/x` is no blob name.
  const blobPath = (digest: string) => {
    if (typeof digest !== 'string' || !BLOB_DIGEST.test(digest))
      throw bad(
        source,
        `it names a blob by ${JSON.stringify(String(digest).slice(0, 80))}, expected sha256:<64 hex digits>`,
      );
    return `blobs/${digest.replace(':', '/')}`;
  };
  const readBlob = async (digest: string, limit?: number): Promise<Uint8Array> => {
    const bytes = await files.read(blobPath(digest), limit);
    if (bytes === undefined) throw bad(source, `blob ${digest} is missing`);
    if (sha256(bytes) !== digest) throw bad(source, `blob ${digest} does not match its digest`);
    return bytes;
  };
  const readManifest = async (digest: string, mediaType?: string): Promise<ArchivedManifest> => {
    const bytes = await readBlob(digest, MAX_MANIFEST_BYTES);
    const parsed = parseJson(source, `manifest ${digest}`, bytes) as { mediaType?: string };
    return { digest, bytes, mediaType: mediaType ?? parsed.mediaType ?? MEDIA_TYPES.ociManifest };
  };
  const top = await readManifest(entries[0]!.digest ?? '', entries[0]!.mediaType);
  const children: ArchivedManifest[] = [];
  const blobsOf = new Map<string, string[]>();
  const collect = (m: ArchivedManifest) => {
    const parsed = parseJson(source, `manifest ${m.digest}`, m.bytes) as {
      config?: { digest: string };
      layers?: { digest: string }[];
    };
    blobsOf.set(m.digest, [
      ...(parsed.config ? [parsed.config.digest] : []),
      ...(parsed.layers ?? []).map((l) => l.digest),
    ]);
  };
  if (isIndexMediaType(top.mediaType)) {
    const parsed = parseJson(source, `index ${top.digest}`, top.bytes) as {
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
  const list = parseJson(source, 'manifest.json', entries.get('manifest.json')!) as {
    Config?: string;
    Layers?: string[];
  }[];
  const count = Array.isArray(list) ? list.length : 0;
  if (count !== 1) throw bad(source, `manifest.json names ${count} images; expected exactly one`);
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
      { read: (p, limit) => readRegular(path, join(path, p), limit ?? MAX_BLOB_BYTES) },
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
