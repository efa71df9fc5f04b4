import type { PodObject, WorkloadObject } from '../diagnose/types.js';

/** The Deployment's (and its ReplicaSets') revision annotation. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Why a revision exists, shown by `kubectl rollout history`. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** How the pods of one revision are told apart: a label every pod of it carries. */
export interface RevisionIdentity {
  /** `pod-template-hash` (Deployment), `controller-revision-hash` (StatefulSet), `pod-template-generation` (DaemonSet). */
  readonly label: string;
  readonly value: string;
  /** Deployment only: the revision number and the ReplicaSet that holds it. */
  readonly revision?: number;
  readonly replicaSet?: string;
}

/** `deployment.kubernetes.io/revision` as a number; 0 when absent. */
export function revisionOf(object: {
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> };
}): number {
  const value = Number(object.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** The ReplicaSets a Deployment owns, highest revision first. */
export function ownedReplicaSets(
  deployment: WorkloadObject,
  replicaSets: readonly WorkloadObject[],
): WorkloadObject[] {
  const uid = deployment.metadata?.uid;
  return replicaSets
    .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === uid && o.kind === 'Deployment'))
    .sort((a, b) => revisionOf(b) - revisionOf(a));
}

/**
 * The revision a workload is rolling out to, once its controller has observed the latest spec;
 * undefined before that (the pods of the new revision cannot be named yet).
 */
export function currentRevision(
  workload: WorkloadObject,
  replicaSets: readonly WorkloadObject[] = [],
): RevisionIdentity | undefined {
  const observed = workload.status?.observedGeneration ?? 0;
  if ((workload.metadata?.generation ?? 0) > observed || observed === 0) return undefined;
  if (workload.kind === 'StatefulSet') {
    const hash = workload.status?.updateRevision;
    return hash === undefined ? undefined : { label: 'controller-revision-hash', value: hash };
  }
  if (workload.kind === 'DaemonSet') {
    return { label: 'pod-template-generation', value: String(workload.metadata?.generation ?? 0) };
  }
  const revision = revisionOf(workload);
  const rs = ownedReplicaSets(workload, replicaSets).find((r) => revisionOf(r) === revision);
  const hash = rs?.metadata?.labels?.['pod-template-hash'];
  if (rs === undefined || hash === undefined) return undefined;
  return { label: 'pod-template-hash', value: hash, revision, replicaSet: rs.metadata?.name ?? '' };
}

/** The pods of `identity`'s revision that are not being deleted. */
export function podsOfRevision(pods: readonly PodObject[], identity: RevisionIdentity): PodObject[] {
  return pods.filter(
    (p) =>
      p.metadata?.deletionTimestamp === undefined && p.metadata?.labels?.[identity.label] === identity.value,
  );
}
