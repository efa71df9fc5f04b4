import type { NodeObject, PodObject } from '../diagnose/types.js';
import { type MatchKind, matchRunningDigest, type RegistryImage } from '../digest-match/index.js';
import { isPodReady } from './pod-failure.js';

/** One pod as verification saw it. */
export interface VerifiedPod {
  readonly pod: string;
  readonly node: string | null;
  readonly ready: boolean;
  /** The imageID the kubelet reports ('' before the container was created). */
  readonly imageID: string;
  /** How its digest matched the expected image; null when it did not. */
  readonly match: MatchKind | null;
}

export interface Verification {
  /** Every expected pod exists, is ready and runs the expected digest. */
  readonly ok: boolean;
  readonly pods: readonly VerifiedPod[];
  /** Pod count per node, in node order. */
  readonly byNode: Readonly<Record<string, number>>;
  /** What is wrong, one line each; empty when ok. */
  readonly problems: readonly string[];
  /** `5/5 pods ready on sha256:0123456789ab (k3s-server 2, k3s-agent-1 2, k3s-agent-2 1)` */
  readonly message: string;
}

export interface VerifyInput {
  /** The pods of the revision (see `podsOfRevision`). */
  readonly pods: readonly PodObject[];
  /** How many pods the revision should have (spec.replicas; a DaemonSet's desiredNumberScheduled). */
  readonly desired: number;
  readonly container: string;
  /** What the registry serves for the deployed reference (index-aware). */
  readonly expected: RegistryImage;
  /** Nodes, for each pod's platform (a multi-platform index matches its platform child). */
  readonly nodes: readonly NodeObject[];
}

/** `sha256:` and 12 hex digits, enough to tell digests apart in a message. */
const short = (digest: string) => digest.slice(0, 19);

/**
 * Proves a revision runs what was pushed: each pod of it is Ready and its container's `imageID`
 * names the expected digest, the node platform's child of an index, or (imported images) its config
 * digest (semantics §3). Pure: the caller reads pods, nodes and the registry.
 */
export function verifyPods(input: VerifyInput): Verification {
  const platforms = new Map(
    input.nodes.map((n) => [
      n.metadata?.name ?? '',
      {
        os: n.status?.nodeInfo?.operatingSystem ?? 'linux',
        architecture: n.status?.nodeInfo?.architecture ?? 'amd64',
      },
    ]),
  );
  const problems: string[] = [];
  const pods: VerifiedPod[] = [];
  const byNode: Record<string, number> = {};
  for (const pod of [...input.pods].sort((a, b) =>
    (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
  )) {
    const name = pod.metadata?.name ?? '';
    const node = pod.spec?.nodeName ?? null;
    const status = pod.status?.containerStatuses?.find((s) => s.name === input.container);
    const imageID = status?.imageID ?? '';
    const ready = isPodReady(pod);
    const result = matchRunningDigest(
      imageID,
      input.expected,
      node === null ? undefined : platforms.get(node),
    );
    const match = result.matched ? result.kind : null;
    pods.push({ pod: name, node, ready, imageID, match });
    if (node !== null) byNode[node] = (byNode[node] ?? 0) + 1;
    const where = node === null ? '' : ` on ${node}`;
    if (!ready) problems.push(`pod ${name}${where} is not ready`);
    if (status === undefined)
      problems.push(`pod ${name}${where} has no status for container "${input.container}"`);
    else if (!result.matched) {
      problems.push(
        result.runningDigest === undefined
          ? `pod ${name}${where} reports no imageID yet`
          : `pod ${name}${where} runs ${short(result.runningDigest)}, not ${short(input.expected.digest)}`,
      );
    }
  }
  if (pods.length !== input.desired) {
    problems.unshift(`${pods.length} pods of the new revision, expected ${input.desired}`);
  }
  const ok = problems.length === 0;
  const nodes = Object.entries(byNode)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([n, c]) => `${n} ${c}`)
    .join(', ');
  const readyCount = pods.filter((p) => p.ready && p.match !== null).length;
  const message = ok
    ? `${readyCount}/${input.desired} pods ready on ${short(input.expected.digest)}${nodes === '' ? '' : ` (${nodes})`}`
    : `${readyCount}/${input.desired} pods verified: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`;
  return { ok, pods, byNode, problems, message };
}
