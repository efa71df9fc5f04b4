import type { Condition, Deployment, DeploymentStatus } from '../objects.js';
import { findCondition } from '../objects.js';

/** Condition reasons of the deployment controller (k/k `deployment/util/deployment_util.go`). */
export const REASON = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumAvailable: 'MinimumReplicasAvailable',
  minimumUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** The largest int32: a progressDeadlineSeconds of this value means "no deadline". */
const MAX_INT32 = 2_147_483_647;

export function hasProgressDeadline(d: Deployment): boolean {
  const seconds = d.spec.progressDeadlineSeconds;
  return seconds !== undefined && seconds !== MAX_INT32;
}

export function newCondition(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  now: string,
): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/**
 * `SetDeploymentCondition`: a condition with the same status and reason is left alone (timestamps
 * kept); the same status with a new reason keeps lastTransitionTime; the new one goes last.
 */
export function setCondition(status: DeploymentStatus, condition: Condition): void {
  const current = findCondition(status.conditions, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status && current.lastTransitionTime) {
    next.lastTransitionTime = current.lastTransitionTime;
  }
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

/** Sets `Progressing=True` with `reason` on the Deployment's status (found or created a new RS). */
export function markProgressing(d: Deployment, reason: string, message: string, now: string): void {
  d.status ??= {};
  setCondition(d.status, newCondition('Progressing', 'True', reason, message, now));
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  status.conditions = (status.conditions ?? []).filter((c) => c.type !== type);
}
