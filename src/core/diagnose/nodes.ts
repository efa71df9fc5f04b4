import { parseImageId } from '../digest-match/index.js';
import { type ImageRef, tryParseImageRef } from '../image-ref/index.js';
import type { NodeObject, PodObject } from './types.js';

/** The kubelet reports at most this many images per node (`nodeStatusMaxImages`, semantics §4). */
export const NODE_STATUS_MAX_IMAGES = 50;

/** What one node holds and runs for one tag. */
export interface NodeTagRow {
  readonly node: string;
  /** Digests the node caches under the tag (from `node.status.images`). */
  readonly cached: readonly string[];
  /** The node reports the capped maximum of images, so "not cached" is unproven. */
  readonly capped: boolean;
  /** Pods on this node running the tag, with the digest each runs. */
  readonly pods: readonly {
    readonly namespace: string;
    readonly pod: string;
    readonly digest: string | undefined;
  }[];
}

/** One tag across the cluster's nodes. */
export interface TagView {
  /** `registry.sim:5000/app:latest` (fully qualified). */
  readonly reference: string;
  readonly rows: readonly NodeTagRow[];
  /** Every digest seen for the tag, cached or running. */
  readonly digests: readonly string[];
  /** More than one digest across nodes and pods. */
  readonly diverged: boolean;
}

function sameRepository(ref: ImageRef, filter: ImageRef): boolean {
  return ref.name() === filter.name() && (filter.tag === undefined || ref.effectiveTag() === filter.tag);
}

/**
 * For a repository (every tag) or one tag: which node caches which digest and which pods run what
 * where. `node.status.images` is a lossy hint (sizes-first, capped at 50 entries, 5 names each), so
 * a node at the cap is flagged: the tag's absence there is not proven.
 */
export function nodeImages(
  filter: ImageRef,
  nodes: readonly NodeObject[],
  pods: readonly PodObject[],
): TagView[] {
  const byTag = new Map<string, Map<string, { cached: Set<string>; pods: NodeTagRow['pods'][number][] }>>();
  const cell = (tag: string, node: string) => {
    let perNode = byTag.get(tag);
    if (perNode === undefined) {
      perNode = new Map();
      byTag.set(tag, perNode);
    }
    let row = perNode.get(node);
    if (row === undefined) {
      row = { cached: new Set(), pods: [] };
      perNode.set(node, row);
    }
    return row;
  };
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    for (const image of node.status?.images ?? []) {
      const names = image.names ?? [];
      const digests = names.filter((n) => n.includes('@')).map((n) => n.slice(n.lastIndexOf('@') + 1));
      for (const text of names) {
        if (text.includes('@')) continue;
        const ref = tryParseImageRef(text);
        if (ref === undefined || !sameRepository(ref, filter)) continue;
        const row = cell(ref.qualified(), name);
        for (const d of digests) row.cached.add(d);
      }
    }
  }
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (node === undefined) continue;
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    for (const status of [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ]) {
      const image = specs.find((c) => c.name === status.name)?.image;
      const ref = image === undefined ? undefined : tryParseImageRef(image);
      if (ref === undefined || ref.digest !== undefined || !sameRepository(ref, filter)) continue;
      const identity = parseImageId(status.imageID);
      cell(ref.qualified(), node).pods.push({
        namespace: pod.metadata?.namespace ?? '',
        pod: pod.metadata?.name ?? '',
        digest: identity.kind === 'none' ? undefined : identity.digest,
      });
    }
  }
  const capped = new Map(
    nodes.map((n) => [n.metadata?.name ?? '', (n.status?.images?.length ?? 0) >= NODE_STATUS_MAX_IMAGES]),
  );
  return [...byTag.keys()].sort().map((reference) => {
    const perNode = byTag.get(reference)!;
    const rows = nodes.map((n) => {
      const name = n.metadata?.name ?? '';
      const row = perNode.get(name);
      return {
        node: name,
        cached: [...(row?.cached ?? [])].sort(),
        capped: capped.get(name) ?? false,
        pods: row?.pods ?? [],
      };
    });
    const digests = new Set<string>();
    for (const row of rows) {
      for (const d of row.cached) digests.add(d);
      for (const p of row.pods) if (p.digest !== undefined) digests.add(p.digest);
    }
    return { reference, rows, digests: [...digests].sort(), diverged: digests.size > 1 };
  });
}
