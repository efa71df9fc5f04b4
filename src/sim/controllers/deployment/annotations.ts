import type { Deployment, ReplicaSet } from '../objects.js';
import { desiredReplicas, maxSurge } from './fenceposts.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';

/** Deployment annotations never copied to its ReplicaSets. */
const SKIPPED = new Set([
  LAST_APPLIED,
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  ROLLBACK_TO,
]);

/** Limit of `revision-history` (about 100 revisions), as `maxRevHistoryLengthInChars`. */
const MAX_REVISION_HISTORY_CHARS = 2000;

/** The `revision` annotation as a number; missing or malformed counts as 0. */
export function revisionOf(rs: ReplicaSet | Deployment): number {
  const text = rs.metadata.annotations?.[REVISION];
  const value = text === undefined ? 0 : Number(text);
  return Number.isInteger(value) ? value : 0;
}

export function maxRevision(replicaSets: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of replicaSets) max = Math.max(max, revisionOf(rs));
  return max;
}

/**
 * `SetNewReplicaSetAnnotations`: copies the Deployment's annotations (change-cause among them),
 * raises the revision to `newRevision` when lower and, when an existing ReplicaSet is reused (a
 * rollback to its template), appends its old revision to `revision-history`. Mutates `rs`.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = rs.metadata.annotations ?? {};
  rs.metadata.annotations = annotations;
  const oldText = annotations[REVISION];
  const oldRevision = oldText === undefined || oldText === '' ? 0 : Number(oldText);
  if (!Number.isInteger(oldRevision)) return false;
  if (oldRevision < newRevision) {
    annotations[REVISION] = String(newRevision);
    changed = true;
    if (oldText !== undefined) {
      const history = annotations[REVISION_HISTORY] ?? '';
      const revisions = history === '' ? [] : history.split(',');
      let total = history.length + oldText.length + 1;
      let start = 0;
      while (total > MAX_REVISION_HISTORY_CHARS && start < revisions.length) {
        total -= (revisions[start]?.length ?? 0) + 1;
        start++;
      }
      if (total <= MAX_REVISION_HISTORY_CHARS) {
        annotations[REVISION_HISTORY] = [...revisions.slice(start), oldText].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d)))
    changed = true;
  return changed;
}

function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  const annotations = rs.metadata.annotations ?? {};
  rs.metadata.annotations = annotations;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  return changed;
}

/** Records the Deployment's size on the RS (`desired-replicas`, `max-replicas`); true if changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata.annotations ?? {};
  rs.metadata.annotations = annotations;
  let changed = false;
  if (annotations[DESIRED_REPLICAS] !== String(desired)) {
    annotations[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS] !== String(max)) {
    annotations[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata.annotations ?? {};
  return annotations[DESIRED_REPLICAS] !== String(desired) || annotations[MAX_REPLICAS] !== String(max);
}

export function annotatedInt(rs: ReplicaSet, key: string): number | undefined {
  const text = rs.metadata.annotations?.[key];
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isInteger(value) ? value : undefined;
}

/** Sets the Deployment's revision annotation; true if it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const annotations = d.metadata.annotations ?? {};
  d.metadata.annotations = annotations;
  if (annotations[REVISION] === revision) return false;
  annotations[REVISION] = revision;
  return true;
}
