import type { ClusterSnapshot, RegistryErrorClass, RegistryFact } from '../../core/diagnose/index.js';
import { parseImageId } from '../../core/digest-match/index.js';
import { type ImageRef, tryParseImageRef } from '../../core/image-ref/index.js';
import { isIndexMediaType, type Platform, pickPlatform } from '../../core/oci/index.js';
import { isKubefreshError } from '../../errors/index.js';
import type { Registry } from '../../ports/registry.js';

const ERROR_CLASSES: Readonly<Record<string, RegistryErrorClass>> = {
  REGISTRY_NOT_FOUND: 'not-found',
  REGISTRY_UNAUTHORIZED: 'unauthorized',
  REGISTRY_DENIED: 'denied',
  REGISTRY_UNREACHABLE: 'unreachable',
  REGISTRY_TLS: 'tls',
  REGISTRY_RATE_LIMITED: 'rate-limited',
};

/** A failed lookup as diagnosis reads it: the class, and the registry's own words. */
export function factFromError(error: unknown): RegistryFact & { ok: false } {
  if (!isKubefreshError(error)) return { ok: false, errorClass: 'other', message: String(error) };
  const details = (error.details ?? {}) as {
    kind?: string;
    reason?: string;
    diagnostics?: { message?: string }[];
  };
  let errorClass = ERROR_CLASSES[error.code] ?? 'other';
  if (errorClass === 'tls' && details.reason === 'plain-http') errorClass = 'plain-http';
  if (errorClass === 'not-found') {
    const said = details.diagnostics?.find((d) => d.message)?.message;
    const kind = details.kind === 'repository' ? 'repository name not known to registry' : 'manifest unknown';
    return { ok: false, errorClass, message: `404 ${said ?? kind}` };
  }
  return { ok: false, errorClass, message: error.message };
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface Needs {
  /** Digests pods report for this image (repo digests). */
  readonly digests: Set<string>;
  /** Some pod reports a bare config digest. */
  config: boolean;
  readonly platforms: Platform[];
}

/** What each image's pods report, so the registry is asked for more than a HEAD only when needed. */
function needsByImage(snapshot: Pick<ClusterSnapshot, 'pods' | 'nodes'>): Map<string, Needs> {
  const platformOf = new Map<string, Platform>();
  for (const node of snapshot.nodes) {
    const info = node.status?.nodeInfo;
    if (info?.operatingSystem && info.architecture) {
      platformOf.set(node.metadata?.name ?? '', {
        os: info.operatingSystem,
        architecture: info.architecture,
      });
    }
  }
  const needs = new Map<string, Needs>();
  for (const pod of snapshot.pods) {
    const platform = platformOf.get(pod.spec?.nodeName ?? '');
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const status of statuses) {
      const image = specs.find((c) => c.name === status.name)?.image;
      if (image === undefined) continue;
      const identity = parseImageId(status.imageID);
      if (identity.kind === 'none') continue;
      let need = needs.get(image);
      if (need === undefined) {
        need = { digests: new Set(), config: false, platforms: [] };
        needs.set(image, need);
      }
      if (identity.kind === 'config') need.config = true;
      else need.digests.add(identity.digest);
      if (
        platform &&
        !need.platforms.some((p) => p.os === platform.os && p.architecture === platform.architecture)
      ) {
        need.platforms.push(platform);
      }
    }
  }
  return needs;
}

async function lookup(registry: Registry, ref: ImageRef, need: Needs | undefined): Promise<RegistryFact> {
  let top: Awaited<ReturnType<Registry['resolve']>>;
  try {
    top = await registry.resolve(ref);
  } catch (error) {
    const fact = factFromError(error);
    if (fact.errorClass !== 'not-found') return fact;
    try {
      const tags = (await registry.listTags(ref)).slice(0, 20);
      return { ...fact, tags };
    } catch {
      return fact;
    }
  }
  const base = { ok: true as const, digest: top.digest, mediaType: top.mediaType };
  if (need === undefined) return base;
  const others = [...need.digests].some((d) => d !== top.digest);
  try {
    if (isIndexMediaType(top.mediaType)) {
      if (!others && !need.config) return base;
      const index = await registry.fetchManifest(ref, top.digest);
      if (index.manifest.kind !== 'index') return base;
      const entries = index.manifest.manifests.filter(
        (m) => m.platform !== undefined && m.platform.os !== 'unknown',
      );
      const configs = new Map<string, string>();
      if (need.config) {
        const wanted =
          need.platforms.length === 0
            ? entries
            : need.platforms.map((p) => pickPlatform(entries, p)).filter((e) => e !== undefined);
        for (const entry of new Set(wanted)) {
          const child = await registry.fetchManifest(ref, entry.digest);
          if (child.manifest.kind === 'manifest') configs.set(entry.digest, child.manifest.config.digest);
        }
      }
      return {
        ...base,
        children: entries.map((e) => ({
          platform: e.platform!,
          digest: e.digest,
          ...(configs.has(e.digest) ? { configDigest: configs.get(e.digest)! } : {}),
        })),
      };
    }
    if (need.config) {
      const manifest = await registry.fetchManifest(ref, top.digest);
      if (manifest.manifest.kind === 'manifest')
        return { ...base, configDigest: manifest.manifest.config.digest };
    }
  } catch {
    // The top digest is known; details that failed only make fewer pods match, never a false OK.
  }
  return base;
}

/**
 * Asks the registry about every distinct spec image, concurrently: one HEAD each, plus the index
 * (and platform manifests for config digests) only when some pod reports a digest other than the
 * top one or a bare config digest. Failures become facts (`not-found` with the repository's tags).
 */
export async function registryFacts(
  registry: Registry,
  images: readonly string[],
  snapshot: Pick<ClusterSnapshot, 'pods' | 'nodes'>,
  concurrency = 16,
): Promise<Record<string, RegistryFact>> {
  const needs = needsByImage(snapshot);
  const facts: Record<string, RegistryFact> = {};
  await mapConcurrent(images, concurrency, async (image) => {
    const ref = tryParseImageRef(image);
    if (ref === undefined) return;
    facts[image] = await lookup(registry, ref, needs.get(image));
  });
  return facts;
}
