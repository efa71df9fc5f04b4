import type { PodObject, WorkloadObject } from '../../core/diagnose/index.js';
import { parseImageId } from '../../core/digest-match/index.js';
import { tryParseImageRef } from '../../core/image-ref/index.js';
import { CHANGE_CAUSE_ANNOTATION, ownedReplicaSets, revisionOf } from '../../core/rollout/index.js';
import { DIGESTS_ANNOTATION, parseDigestsAnnotation } from './digests-annotation.js';

/** Old revision numbers a reused ReplicaSet carried before (kubectl keeps them here). */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';

/** Pods of one revision that run one digest. */
export interface RunningDigest {
  /** The digest from the pods' imageID; undefined while the container has not been created. */
  readonly digest: string | undefined;
  readonly pods: readonly { readonly name: string; readonly node: string | undefined }[];
}

/** One container of a revision's pod template. */
export interface RevisionContainer {
  readonly name: string;
  /** The image exactly as the template writes it. */
  readonly image: string;
  /** The tag, when the image names one (`latest` is implied when it names neither). */
  readonly tag: string | undefined;
  /** The digest the template pins (`repo:tag@sha256:…`), if any. */
  readonly pinned: string | undefined;
  /** The digest kubefresh recorded when it verified this revision, if any. */
  readonly recorded: string | undefined;
  /** What the revision's pods run now, by digest. */
  readonly running: readonly RunningDigest[];
  readonly pullPolicy: string | undefined;
}

/** One revision of a Deployment, as its ReplicaSet holds it. */
export interface Revision {
  readonly revision: number;
  /** Earlier numbers of this same template (`revision-history`), oldest first. */
  readonly previousRevisions: readonly number[];
  readonly replicaSet: string;
  readonly created: string | undefined;
  readonly changeCause: string | undefined;
  /** Whether this is the revision the Deployment names now. */
  readonly current: boolean;
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly containers: readonly RevisionContainer[];
  /** The ReplicaSet itself, for rollback (its template). */
  readonly object: WorkloadObject;
}

export interface DeploymentHistory {
  readonly namespace: string;
  readonly name: string;
  /** The Deployment's revision annotation; 0 before the controller has set one. */
  readonly currentRevision: number;
  readonly paused: boolean;
  /** Oldest first, as `kubectl rollout history` lists them. */
  readonly revisions: readonly Revision[];
}

type Meta = { annotations?: Record<string, string>; creationTimestamp?: string };

/** Digest part of an image reference, without a registry round-trip. */
function pinnedDigest(image: string): string | undefined {
  return tryParseImageRef(image)?.digest;
}

function tagOf(image: string): string | undefined {
  return tryParseImageRef(image)?.effectiveTag();
}

/** Groups the pods' running digests of one container, in a stable order. */
function runningDigests(pods: readonly PodObject[], container: string): RunningDigest[] {
  const groups = new Map<string, { digest: string | undefined; pods: RunningDigest['pods'][number][] }>();
  for (const pod of pods) {
    const status = pod.status?.containerStatuses?.find((s) => s.name === container);
    const identity = parseImageId(status?.imageID);
    const digest = identity.kind === 'none' ? undefined : identity.digest;
    const key = digest ?? '';
    const group = groups.get(key) ?? { digest, pods: [] };
    group.pods.push({ name: pod.metadata?.name ?? '', node: pod.spec?.nodeName });
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => ({ digest: g.digest, pods: [...g.pods].sort((a, b) => a.name.localeCompare(b.name)) }))
    .sort((a, b) => b.pods.length - a.pods.length || (a.digest ?? '').localeCompare(b.digest ?? ''));
}

/**
 * A Deployment's revisions from its ReplicaSets (revision annotation, revision-history, change
 * cause, template images) and the pods each one owns now (running digests). Pure: the caller reads
 * the objects.
 */
export function buildHistory(
  deployment: WorkloadObject,
  replicaSets: readonly WorkloadObject[],
  pods: readonly PodObject[],
): DeploymentHistory {
  const current = revisionOf(deployment);
  const revisions = ownedReplicaSets(deployment, replicaSets)
    .filter((rs) => revisionOf(rs) > 0)
    .reverse()
    .map((rs): Revision => {
      const meta = (rs.metadata ?? {}) as Meta;
      const uid = rs.metadata?.uid;
      const owned = pods.filter(
        (p) =>
          p.metadata?.deletionTimestamp === undefined &&
          p.metadata?.ownerReferences?.some((o) => o.uid === uid && o.kind === 'ReplicaSet'),
      );
      const recorded = parseDigestsAnnotation(
        meta.annotations?.[DIGESTS_ANNOTATION],
        rs.metadata?.labels?.['pod-template-hash'],
      );
      const history = (meta.annotations?.[REVISION_HISTORY_ANNOTATION] ?? '')
        .split(',')
        .map((s) => Number(s.trim()))
        .filter((n) => Number.isInteger(n) && n > 0);
      return {
        revision: revisionOf(rs),
        previousRevisions: history,
        replicaSet: rs.metadata?.name ?? '',
        created: meta.creationTimestamp,
        changeCause: meta.annotations?.[CHANGE_CAUSE_ANNOTATION],
        current: revisionOf(rs) === current,
        replicas: rs.status?.replicas ?? 0,
        readyReplicas: rs.status?.readyReplicas ?? 0,
        containers: (rs.spec?.template?.spec?.containers ?? []).map((c) => ({
          name: c.name,
          image: c.image ?? '',
          tag: tagOf(c.image ?? ''),
          pinned: pinnedDigest(c.image ?? ''),
          recorded: recorded[c.name],
          running: runningDigests(owned, c.name),
          pullPolicy: c.imagePullPolicy,
        })),
        object: rs,
      };
    });
  return {
    namespace: deployment.metadata?.namespace ?? '',
    name: deployment.metadata?.name ?? '',
    currentRevision: current,
    paused: deployment.spec?.paused === true,
    revisions,
  };
}

/**
 * The digest a revision's container is known to have run: the pinned digest, else the one its pods
 * run (when they all agree), else the one kubefresh recorded. Undefined when nothing says.
 */
export function knownDigest(
  container: RevisionContainer,
): { digest: string; source: 'pinned' | 'pods' | 'recorded' } | undefined {
  if (container.pinned !== undefined) return { digest: container.pinned, source: 'pinned' };
  const running = container.running.filter((r) => r.digest !== undefined);
  if (running.length === 1) return { digest: running[0]!.digest!, source: 'pods' };
  if (container.recorded !== undefined) return { digest: container.recorded, source: 'recorded' };
  return undefined;
}
