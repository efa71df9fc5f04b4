import { apiTime } from '../../clock.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../objects.js';
import { findCondition } from '../objects.js';
import { hasProgressDeadline, newCondition, REASON, setCondition } from './conditions.js';
import { desiredReplicas, maxUnavailable } from './fenceposts.js';

function sum(replicaSets: readonly ReplicaSet[], field: (rs: ReplicaSet) => number | undefined): number {
  let total = 0;
  for (const rs of replicaSets) total += field(rs) ?? 0;
  return total;
}

/** Sum of `spec.replicas`: what the ReplicaSets are asked to run. */
export function specReplicas(replicaSets: readonly ReplicaSet[]): number {
  return sum(replicaSets, (rs) => rs.spec.replicas);
}

/** Sum of `status.replicas`: the pods the ReplicaSets actually have. */
export function actualReplicas(replicaSets: readonly ReplicaSet[]): number {
  return sum(replicaSets, (rs) => rs.status?.replicas);
}

/** `calculateStatus`: the counts from the ReplicaSets plus the Available condition. */
export function calculateStatus(
  allRSs: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
  now: number,
): DeploymentStatus {
  const available = sum(allRSs, (rs) => rs.status?.availableReplicas);
  const unavailable = Math.max(0, specReplicas(allRSs) - available);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: actualReplicas(allRSs),
    updatedReplicas: newRS ? (newRS.status?.replicas ?? 0) : 0,
    readyReplicas: sum(allRSs, (rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    conditions: structuredClone(d.status?.conditions ?? []),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const time = apiTime(now);
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(
      status,
      newCondition(
        'Available',
        'True',
        REASON.minimumAvailable,
        'Deployment has minimum availability.',
        time,
      ),
    );
  } else {
    setCondition(
      status,
      newCondition(
        'Available',
        'False',
        REASON.minimumUnavailable,
        'Deployment does not have minimum availability.',
        time,
      ),
    );
  }
  return status;
}

/** Every desired replica updated and available, and the spec observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const desired = desiredReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 1)
  );
}

/** Any progress since the stored status: more updated, ready or available pods, or fewer old ones. */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** No progress for `progressDeadlineSeconds` since the Progressing condition last changed. */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = findCondition(status.conditions, 'Progressing');
  if (!condition) return false;
  if (condition.reason === REASON.newRSAvailable) return false;
  if (condition.reason === REASON.timedOut) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  if (!Number.isFinite(from)) return false;
  return from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < now;
}

/** The status as the API stores it: zero counts are omitted (`omitempty`). */
export function compactStatus(status: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const [key, value] of Object.entries(status) as [keyof DeploymentStatus, unknown][]) {
    if (value === 0 || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
