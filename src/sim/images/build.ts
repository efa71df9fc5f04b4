import { gzipSync } from 'node:zlib';
import { MEDIA_TYPES } from '../../core/oci/index.js';
import { sha256Digest } from '../registry/digest.js';
import { type TarEntry, writeTar } from './tar.js';

/** An operating system, CPU architecture and optional variant, as in an index entry. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** A piece of content addressed by digest: a config, a layer or a manifest. */
export interface Blob {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly bytes: Buffer;
}

/** A compressed layer and the digest of its uncompressed tar (`diff_id` in the config). */
export interface Layer extends Blob {
  readonly diffId: string;
}

/** File content by path, e.g. `{'app/server.js': 'console.log(1)'}`; or full tar entries. */
export type LayerSpec = Readonly<Record<string, string | Uint8Array>> | readonly TarEntry[];

/** What an image should contain. Every field is optional; the defaults make a valid linux/amd64 image. */
export interface ImageSpec {
  /** `os/arch[/variant]` or a {@link Platform}. Default: `linux/amd64`. */
  readonly platform?: string | Platform;
  /** Config labels; the sim's kubelet reads behaviour labels (see behaviour-labels.ts). */
  readonly labels?: Readonly<Record<string, string>>;
  /** `{NAME: value}` or `['NAME=value']`. */
  readonly env?: Readonly<Record<string, string>> | readonly string[];
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly workingDir?: string;
  readonly user?: string;
  /** Layers, bottom first. Default: one small layer naming the platform. */
  readonly layers?: readonly LayerSpec[];
  /** `oci` (default) or `docker` (schema 2 media types). */
  readonly format?: 'oci' | 'docker';
  /** Config `created` time. Default: the epoch, so equal specs give equal digests. */
  readonly created?: string;
}

/** A single-platform image: manifest bytes plus the blobs it references. */
export interface BuiltImage extends Blob {
  readonly kind: 'image';
  readonly platform: Platform;
  readonly config: Blob;
  readonly layers: readonly Layer[];
}

/** A multi-platform image: an index (or Docker manifest list) over single-platform images. */
export interface BuiltIndex extends Blob {
  readonly kind: 'index';
  readonly manifests: readonly BuiltImage[];
}

export type BuiltArtifact = BuiltImage | BuiltIndex;

const EPOCH = '1970-01-01T00:00:00Z';

function blob(mediaType: string, bytes: Buffer): Blob {
  return { mediaType, digest: sha256Digest(bytes), size: bytes.length, bytes };
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** Parses `os/arch[/variant]`. */
export function parsePlatform(text: string | Platform): Platform {
  if (typeof text !== 'string') return text;
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined) {
    throw new RangeError(`platform "${text}" is not of the form os/arch[/variant], e.g. linux/arm64/v8`);
  }
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** `linux/arm64/v8` from a platform. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** Builds one gzip-compressed layer from files; equal files give equal digests. */
export function buildLayer(spec: LayerSpec, format: 'oci' | 'docker' = 'oci'): Layer {
  const entries: TarEntry[] = Array.isArray(spec)
    ? [...(spec as readonly TarEntry[])]
    : Object.entries(spec as Record<string, string | Uint8Array>).map(([path, content]) => ({
        path,
        content,
      }));
  const tar = writeTar(entries);
  const compressed = gzipSync(tar, { level: 6 });
  const mediaType = format === 'oci' ? MEDIA_TYPES.ociLayerGzip : MEDIA_TYPES.dockerLayerGzip;
  return { ...blob(mediaType, compressed), diffId: sha256Digest(tar) };
}

function envList(env: ImageSpec['env']): string[] {
  if (!env) return ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];
  return Array.isArray(env)
    ? [...(env as readonly string[])]
    : Object.entries(env as Record<string, string>).map(([k, v]) => `${k}=${v}`);
}

/** Builds a single-platform image (config, layers, manifest) entirely in memory. */
export function buildImage(spec: ImageSpec = {}): BuiltImage {
  const format = spec.format ?? 'oci';
  const platform = parsePlatform(spec.platform ?? 'linux/amd64');
  const layerSpecs = spec.layers ?? [{ 'etc/kubefresh-platform': `${formatPlatform(platform)}\n` }];
  const layers = layerSpecs.map((layer) => buildLayer(layer, format));
  const created = spec.created ?? EPOCH;
  const config = {
    created,
    architecture: platform.architecture,
    ...(platform.variant ? { variant: platform.variant } : {}),
    os: platform.os,
    config: {
      ...(spec.user ? { User: spec.user } : {}),
      Env: envList(spec.env),
      ...(spec.entrypoint ? { Entrypoint: [...spec.entrypoint] } : {}),
      ...(spec.cmd ? { Cmd: [...spec.cmd] } : {}),
      ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
      ...(spec.labels ? { Labels: { ...spec.labels } } : {}),
    },
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
    history: layers.map(() => ({ created, created_by: 'kubefresh sim image build' })),
  };
  const configBlob = blob(format === 'oci' ? MEDIA_TYPES.ociConfig : MEDIA_TYPES.dockerConfig, json(config));
  const mediaType = format === 'oci' ? MEDIA_TYPES.ociManifest : MEDIA_TYPES.dockerManifest;
  const descriptor = (b: Blob) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
  const manifest = json({
    schemaVersion: 2,
    mediaType,
    config: descriptor(configBlob),
    layers: layers.map(descriptor),
  });
  return { kind: 'image', ...blob(mediaType, manifest), platform, config: configBlob, layers };
}

/** Builds an index (OCI) or manifest list (Docker) over single-platform images. */
export function buildIndex(images: readonly BuiltImage[], format: 'oci' | 'docker' = 'oci'): BuiltIndex {
  const mediaType = format === 'oci' ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.dockerManifestList;
  const bytes = json({
    schemaVersion: 2,
    mediaType,
    manifests: images.map((image) => ({
      mediaType: image.mediaType,
      digest: image.digest,
      size: image.size,
      platform: {
        architecture: image.platform.architecture,
        os: image.platform.os,
        ...(image.platform.variant ? { variant: image.platform.variant } : {}),
      },
    })),
  });
  return { kind: 'index', ...blob(mediaType, bytes), manifests: images };
}

/** One image per platform from the same spec, wrapped in an index: what `docker buildx --platform a,b` makes. */
export function buildMultiPlatformImage(
  spec: ImageSpec,
  platforms: readonly (string | Platform)[],
): BuiltIndex {
  const images = platforms.map((platform) => buildImage({ ...spec, platform }));
  return buildIndex(images, spec.format ?? 'oci');
}

/** Every config and layer blob an artifact references, each once. */
export function blobsOf(artifact: BuiltArtifact): Blob[] {
  const images = artifact.kind === 'index' ? artifact.manifests : [artifact];
  const unique = new Map<string, Blob>();
  for (const image of images) for (const b of [image.config, ...image.layers]) unique.set(b.digest, b);
  return [...unique.values()];
}

/** Every manifest of an artifact, children before the index that lists them (the push order). */
export function manifestsOf(artifact: BuiltArtifact): Blob[] {
  return artifact.kind === 'index' ? [...artifact.manifests, artifact] : [artifact];
}

/** The child of an index for a platform (variant compared only when asked for). */
export function selectPlatform(artifact: BuiltArtifact, platform: string | Platform): BuiltImage | undefined {
  const wanted = parsePlatform(platform);
  const images = artifact.kind === 'index' ? artifact.manifests : [artifact];
  return images.find(
    (image) =>
      image.platform.os === wanted.os &&
      image.platform.architecture === wanted.architecture &&
      (wanted.variant === undefined || image.platform.variant === wanted.variant),
  );
}
