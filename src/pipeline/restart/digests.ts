import type { PodObject } from '../../core/diagnose/index.js';
import { matchRunningDigest, parseImageId, type RegistryImage } from '../../core/digest-match/index.js';
import type { ImageRef } from '../../core/image-ref/index.js';
import type { Registry } from '../../ports/registry.js';
import { registryImageOf } from '../deploy/index.js';

/** One pod's running digest for one container. */
export interface PodDigest {
  readonly pod: string;
  readonly node: string | undefined;
  /** From the container's imageID; undefined before the container was created. */
  readonly digest: string | undefined;
  /** The imageID as the kubelet reports it ('' before the container was created). */
  readonly imageID: string;
}

/** The digests `container` runs in `pods`, sorted by pod name. */
export function podDigests(pods: readonly PodObject[], container: string): PodDigest[] {
  return pods
    .map((pod) => {
      const imageID = pod.status?.containerStatuses?.find((s) => s.name === container)?.imageID ?? '';
      const identity = parseImageId(imageID);
      return {
        imageID,
        pod: pod.metadata?.name ?? '',
        node: pod.spec?.nodeName,
        digest: identity.kind === 'none' ? undefined : identity.digest,
      };
    })
    .sort((a, b) => a.pod.localeCompare(b.pod));
}

/** The distinct digests pods run (undefined ones left out). */
export function distinctDigests(pods: readonly PodDigest[]): string[] {
  return [...new Set(pods.map((p) => p.digest).filter((d): d is string => d !== undefined))].sort();
}

/** What the registry serves for a reference, or why it could not say. */
export type RegistryLookup =
  | { readonly ok: true; readonly image: RegistryImage }
  | { readonly ok: false; readonly message: string };

/** Resolves `reference` (a tag or digest) of `ref` index-aware; registry failures become data. */
export async function lookup(registry: Registry, ref: ImageRef, reference: string): Promise<RegistryLookup> {
  try {
    return { ok: true, image: await registryImageOf(registry, ref, reference) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** Whether a pod's running digest is the registry image (the index, its platform child, or config). */
export function runs(pod: PodDigest, image: RegistryImage): boolean {
  return matchRunningDigest(pod.imageID, image).matched;
}
