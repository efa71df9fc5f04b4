import { KubefreshError } from '../../errors/index.js';
import { isDigest } from './digest.js';
import { isIndexMediaType, isManifestMediaType, MEDIA_TYPES } from './media-types.js';
import type { Platform } from './platform.js';

/** A pointer to content: what it is, its digest and its size (OCI image-spec descriptor). */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A multi-platform image: one entry per platform (OCI image index / Docker manifest list). */
export interface ImageIndex {
  readonly kind: 'index';
  readonly mediaType: string;
  readonly manifests: readonly Descriptor[];
}

/** A single-platform image: a config blob and layer blobs. */
export interface ImageManifest {
  readonly kind: 'manifest';
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

export type OciManifest = ImageIndex | ImageManifest;

/** Where a manifest came from, for error messages (`127.0.0.1:5000/app:1.0`). */
export interface ManifestSource {
  readonly registry: string;
  readonly repository: string;
  readonly reference: string;
}

/**
 * Parses and validates a manifest or index body. The kind comes from the response `Content-Type`
 * when it names one, else from the body's `mediaType`, else from its shape (Docker schema 2 lists
 * always carry `mediaType`; older OCI indexes may not). Throws `REGISTRY_PROTOCOL` naming the source
 * when the body is not JSON, is schema 1, or lacks the fields kubefresh reads.
 */
export function parseOciManifest(
  text: string,
  contentType: string | undefined,
  source: ManifestSource,
): OciManifest {
  const where = `${source.registry}/${source.repository}@${source.reference}`;
  const fail = (problem: string): never => {
    throw new KubefreshError(
      'REGISTRY_PROTOCOL',
      `registry ${source.registry} sent an invalid manifest for ${where}: ${problem}`,
      {
        hint: 'the registry or the image is broken; try pulling it with another client to confirm',
        details: { registry: source.registry, repository: source.repository, reference: source.reference },
      },
    );
  };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fail('the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return fail('the body is not a JSON object');
  const json = body as Record<string, unknown>;
  const headerType = contentType?.split(';')[0]?.trim().toLowerCase();
  const bodyType = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  let mediaType =
    headerType && (isIndexMediaType(headerType) || isManifestMediaType(headerType)) ? headerType : bodyType;
  if (json.schemaVersion === 1 || mediaType?.includes('distribution.manifest.v1')) {
    return fail('Docker schema 1 manifests are not supported (they have no content digest of their own)');
  }
  if (mediaType === undefined || !(isIndexMediaType(mediaType) || isManifestMediaType(mediaType))) {
    if (Array.isArray(json.manifests)) mediaType = MEDIA_TYPES.ociIndex;
    else if (typeof json.config === 'object' && json.config !== null) mediaType = MEDIA_TYPES.ociManifest;
    else return fail(`unknown media type ${JSON.stringify(mediaType ?? contentType ?? '')}`);
  }
  if (isIndexMediaType(mediaType)) {
    if (!Array.isArray(json.manifests)) return fail('an index without a "manifests" array');
    const manifests = json.manifests.map((entry, i) => parseDescriptor(entry, `manifests[${i}]`, fail));
    return { kind: 'index', mediaType, manifests };
  }
  const config = parseDescriptor(json.config, 'config', fail);
  const layers = Array.isArray(json.layers)
    ? json.layers.map((entry, i) => parseDescriptor(entry, `layers[${i}]`, fail))
    : [];
  return { kind: 'manifest', mediaType, config, layers };
}

function parseDescriptor(value: unknown, path: string, fail: (problem: string) => never): Descriptor {
  if (typeof value !== 'object' || value === null) return fail(`${path} is not an object`);
  const v = value as Record<string, unknown>;
  if (typeof v.digest !== 'string' || !isDigest(v.digest)) {
    return fail(`${path}.digest ${JSON.stringify(v.digest)} is not a sha256 or sha512 digest`);
  }
  const descriptor: {
    mediaType: string;
    digest: string;
    size: number;
    platform?: Platform;
    annotations?: Record<string, string>;
  } = {
    mediaType: typeof v.mediaType === 'string' ? v.mediaType : '',
    digest: v.digest,
    size: typeof v.size === 'number' ? v.size : -1,
  };
  const p = v.platform as Record<string, unknown> | undefined;
  if (p && typeof p === 'object' && typeof p.os === 'string' && typeof p.architecture === 'string') {
    descriptor.platform =
      typeof p.variant === 'string' && p.variant !== ''
        ? { os: p.os, architecture: p.architecture, variant: p.variant }
        : { os: p.os, architecture: p.architecture };
  }
  if (v.annotations && typeof v.annotations === 'object') {
    descriptor.annotations = v.annotations as Record<string, string>;
  }
  return descriptor;
}
