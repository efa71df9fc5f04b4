import { isIndexMediaType, isManifestMediaType, MEDIA_TYPES } from '../../core/oci/index.js';
import { OciError } from './errors.js';
import type { RegistryStorage, StoredManifest } from './storage.js';

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  urls?: string[];
  platform?: { os?: string; architecture?: string; variant?: string };
}

interface ManifestBody {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

function parseBody(bytes: Uint8Array): ManifestBody {
  try {
    const body = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as ManifestBody;
  } catch {
    // answered below
  }
  throw new OciError('MANIFEST_INVALID', { detail: 'manifest is not a JSON object' });
}

/**
 * Checks a pushed manifest as distribution does before storing it, and returns its media type:
 * the `Content-Type` when it names a manifest type, else the body's `mediaType`. Every blob a
 * manifest references must already be in the repository, and every child of an index must be a
 * manifest already pushed there (MANIFEST_BLOB_UNKNOWN otherwise).
 */
export function validateManifest(
  storage: RegistryStorage,
  repository: string,
  bytes: Uint8Array,
  contentType: string | undefined,
): string {
  const body = parseBody(bytes);
  const declared = contentType?.split(';')[0]?.trim();
  const mediaType = isIndexMediaType(declared) || isManifestMediaType(declared) ? declared! : body.mediaType;
  if (!isIndexMediaType(mediaType) && !isManifestMediaType(mediaType)) {
    throw new OciError('MANIFEST_INVALID', {
      detail: `unsupported manifest media type "${mediaType ?? declared ?? ''}"`,
    });
  }
  if (body.mediaType !== undefined && body.mediaType !== mediaType) {
    throw new OciError('MANIFEST_INVALID', {
      detail: `if present, mediaType in manifest should be '${mediaType}' not '${body.mediaType}'`,
    });
  }
  if (body.schemaVersion !== 2) {
    throw new OciError('MANIFEST_INVALID', {
      detail: `unsupported schemaVersion ${String(body.schemaVersion)}`,
    });
  }
  if (isIndexMediaType(mediaType)) {
    for (const child of body.manifests ?? []) {
      if (!child.digest || !storage.getManifest(repository, child.digest)) {
        throw new OciError('MANIFEST_BLOB_UNKNOWN', { detail: child.digest ?? '' });
      }
    }
  } else {
    if (!body.config?.digest) throw new OciError('MANIFEST_INVALID', { detail: 'manifest has no config' });
    for (const blob of [body.config, ...(body.layers ?? [])]) {
      if (blob.urls?.length) continue; // foreign layers live elsewhere
      if (!blob.digest || !storage.isBlobLinked(repository, blob.digest)) {
        throw new OciError('MANIFEST_BLOB_UNKNOWN', { detail: blob.digest ?? '' });
      }
    }
  }
  return mediaType!;
}

/** The media types a request's `Accept` headers name (parameters and `q` values ignored, like distribution). */
export function acceptedTypes(accept: string | string[] | undefined): Set<string> {
  const values = Array.isArray(accept) ? accept : accept === undefined ? [] : [accept];
  return new Set(values.flatMap((value) => value.split(',')).map((type) => type.split(';')[0]!.trim()));
}

/** The platform distribution falls back to when a client cannot take a manifest list. */
const DEFAULT_PLATFORM = { os: 'linux', architecture: 'amd64' };

/** What the registry answers for a manifest GET/HEAD after content negotiation. */
export interface NegotiatedManifest extends StoredManifest {
  readonly digest: string;
}

/**
 * Content negotiation exactly as distribution's `GetManifest` (registry/handlers/manifests.go):
 * - an OCI manifest or index the client does not accept is a 404 MANIFEST_UNKNOWN with a message
 *   saying so (even by digest);
 * - a Docker manifest list fetched **by tag** without the list type in `Accept` is rewritten to its
 *   linux/amd64 child, whose digest is returned (the bug behind pinning the wrong digest);
 * - otherwise the stored bytes are returned as pushed. (Distribution 2.x would convert a schema 2
 *   manifest to signed schema 1 for clients that accept neither; we serve schema 2 as distribution 3 does.)
 */
export function negotiate(
  storage: RegistryStorage,
  repository: string,
  digest: string,
  manifest: StoredManifest,
  byTag: boolean,
  accepted: Set<string>,
): NegotiatedManifest {
  if (manifest.mediaType === MEDIA_TYPES.ociManifest && !accepted.has(MEDIA_TYPES.ociManifest)) {
    throw new OciError('MANIFEST_UNKNOWN', {
      message: 'OCI manifest found, but accept header does not support OCI manifests',
    });
  }
  if (manifest.mediaType === MEDIA_TYPES.ociIndex && !accepted.has(MEDIA_TYPES.ociIndex)) {
    throw new OciError('MANIFEST_UNKNOWN', {
      message: 'OCI index found, but accept header does not support OCI indexes',
    });
  }
  if (byTag && manifest.mediaType === MEDIA_TYPES.dockerManifestList && !accepted.has(manifest.mediaType)) {
    const list = parseBody(manifest.bytes);
    const child = list.manifests?.find(
      (m) =>
        m.platform?.os === DEFAULT_PLATFORM.os && m.platform?.architecture === DEFAULT_PLATFORM.architecture,
    );
    const childManifest = child?.digest ? storage.getManifest(repository, child.digest) : undefined;
    if (!child?.digest || !childManifest) throw new OciError('MANIFEST_UNKNOWN');
    if (childManifest.mediaType === MEDIA_TYPES.dockerManifest && !accepted.has(MEDIA_TYPES.dockerManifest)) {
      throw new OciError('MANIFEST_INVALID', { message: 'Schema 2 manifest not supported by client' });
    }
    return { ...childManifest, digest: child.digest };
  }
  return { ...manifest, digest };
}
