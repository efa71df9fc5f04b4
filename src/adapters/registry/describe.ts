import type { ImageRef } from '../../core/image-ref/index.js';
import { formatPlatform, isIndexMediaType, type Platform, pickPlatform } from '../../core/oci/index.js';
import { KubefreshError } from '../../errors/index.js';
import type { Registry } from '../../ports/registry.js';

/** One platform's image inside an index. */
export interface PlatformEntry {
  /** `linux/amd64`, `linux/arm/v7` (normalized). */
  readonly platform: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

/** Everything `kubefresh digest -o json` reports about one reference. */
export interface ImageDescription {
  /** The reference as given. */
  readonly reference: string;
  /** Fully qualified, e.g. `docker.io/library/nginx:1.25`. */
  readonly name: string;
  /** What the tag (or digest) resolves to: the index digest for a multi-platform image. */
  readonly digest: string;
  readonly mediaType: string;
  /** Set when `digest` is an index: its digest and one entry per platform. */
  readonly index?: { readonly digest: string; readonly platforms: readonly PlatformEntry[] };
  /** The image for the requested platform (or the single-platform image itself) and its config digest. */
  readonly image?: {
    readonly platform?: string;
    readonly digest: string;
    readonly mediaType: string;
    readonly configDigest: string;
  };
}

export interface DescribeOptions {
  /** Also pick this platform's child and read its config digest. */
  readonly platform?: Platform;
  /** Read the index entries and config digest (GETs). Default false: a HEAD only. */
  readonly detail?: boolean;
}

/**
 * Resolves a reference and, on request, what is inside: an index's platform entries, the child a
 * node of `platform` would pull, and that child's config digest (needed to match a bare `sha256:`
 * imageID, semantics §3). With neither option this is exactly one HEAD.
 */
export async function describeImage(
  registry: Registry,
  ref: ImageRef,
  options: DescribeOptions = {},
): Promise<ImageDescription> {
  const top = await registry.resolve(ref);
  const base = {
    reference: ref.original,
    name: ref.qualified(),
    digest: top.digest,
    mediaType: top.mediaType,
  };
  if (!options.detail && !options.platform) return base;
  const fetched = await registry.fetchManifest(ref, top.digest);
  const manifest = fetched.manifest;
  if (manifest.kind === 'manifest') {
    return {
      ...base,
      mediaType: fetched.mediaType,
      image: {
        ...(options.platform ? { platform: formatPlatform(options.platform) } : {}),
        digest: fetched.digest,
        mediaType: fetched.mediaType,
        configDigest: manifest.config.digest,
      },
    };
  }
  const platforms: PlatformEntry[] = manifest.manifests
    .filter((entry) => entry.platform !== undefined && entry.platform.os !== 'unknown')
    .map((entry) => ({
      platform: formatPlatform(entry.platform!),
      digest: entry.digest,
      mediaType: entry.mediaType,
      size: entry.size,
    }));
  const described: ImageDescription = {
    ...base,
    mediaType: fetched.mediaType,
    index: { digest: fetched.digest, platforms },
  };
  if (!options.platform) return described;
  const child = pickPlatform(manifest.manifests, options.platform);
  if (!child) {
    const wanted = formatPlatform(options.platform);
    throw new KubefreshError(
      'REGISTRY_NOT_FOUND',
      `${ref.original} has no ${wanted} image (index ${fetched.digest} has ${platforms.map((p) => p.platform).join(', ') || 'no platforms'})`,
      {
        hint: 'pick one of the listed platforms, or build and push the image for this platform too',
        details: { registry: ref.registry, repository: ref.repository, kind: 'platform', platform: wanted },
      },
    );
  }
  const childManifest = await registry.fetchManifest(ref, child.digest);
  if (childManifest.manifest.kind !== 'manifest' || isIndexMediaType(childManifest.mediaType)) {
    throw new KubefreshError(
      'REGISTRY_PROTOCOL',
      `${ref.original}: the ${formatPlatform(options.platform)} entry ${child.digest} is not an image manifest`,
      {
        hint: 'nested indexes are not supported; resolve the entry directly',
        details: { registry: ref.registry, repository: ref.repository },
      },
    );
  }
  return {
    ...described,
    image: {
      platform: formatPlatform(child.platform!),
      digest: childManifest.digest,
      mediaType: childManifest.mediaType,
      configDigest: childManifest.manifest.config.digest,
    },
  };
}
