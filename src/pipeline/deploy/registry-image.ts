import type { RegistryImage, RegistryImageChild } from '../../core/digest-match/index.js';
import type { ImageRef } from '../../core/image-ref/index.js';
import { isIndexMediaType, type OciManifest } from '../../core/oci/index.js';
import type { Registry } from '../../ports/registry.js';

interface IndexLike {
  readonly manifests?: readonly {
    readonly digest?: string;
    readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
  }[];
}

/**
 * Everything verification needs about one image in the registry: its top digest, and for an index
 * each platform child with its config digest (pods may report either, semantics §3). A few GETs,
 * done once per deploy, so each pod check afterwards is pure.
 */
export async function registryImageOf(
  registry: Registry,
  ref: ImageRef,
  reference?: string,
): Promise<RegistryImage> {
  const top = await registry.fetchManifest(ref, reference);
  if (!isIndexMediaType(top.mediaType)) {
    const config = (top.manifest as OciManifest & { config?: { digest?: string } }).config?.digest;
    return {
      digest: top.digest,
      mediaType: top.mediaType,
      ...(config === undefined ? {} : { configDigest: config }),
    };
  }
  const children: RegistryImageChild[] = [];
  for (const entry of (top.manifest as IndexLike).manifests ?? []) {
    if (
      entry.digest === undefined ||
      entry.platform?.os === undefined ||
      entry.platform.architecture === undefined
    )
      continue;
    const child = await registry.fetchManifest(ref, entry.digest);
    const config = (child.manifest as { config?: { digest?: string } }).config?.digest;
    children.push({
      digest: entry.digest,
      platform: {
        os: entry.platform.os,
        architecture: entry.platform.architecture,
        ...(entry.platform.variant === undefined ? {} : { variant: entry.platform.variant }),
      },
      ...(config === undefined ? {} : { configDigest: config }),
    });
  }
  return { digest: top.digest, mediaType: top.mediaType, children };
}
