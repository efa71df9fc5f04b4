import type { PodObject, WorkloadObject } from '../diagnose/types.js';

/** The Deployment's (and its ReplicaSets') revision annotation. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Why a revision exists, shown by `kubectl rollout history`. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** The DaemonSet's template generation, bumped by the API server on each template change only. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** One label value that marks a pod of a revision. */
export interface RevisionLabel {
  readonly label: string;
  readonly value: string;
}

/**
 * How the pods of one revision are told apart: a label every pod of it carries, or (DaemonSets)
 * any one of several labels.
 */
export interface RevisionIdentity extends RevisionLabel {
  /** `pod-template-hash` (Deployment), `controller-revision-hash` (StatefulSet), `pod-template-generation` (DaemonSet). */
  readonly label: string;
  readonly value: string;
  /**
   * Other labels that mark a pod of this revision just as well: a pod belongs to it when any one
   * matches. DaemonSets: the current ControllerRevision's hash, since the controller's
   * `IsPodUpdated` accepts a pod whose template generation OR revision hash is current (after a
   * rollback, pods the failed rollout never reached keep the older generation but match the hash).
   */
  readonly alternatives?: readonly RevisionLabel[];
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

/** A ControllerRevision as JSON (StatefulSet and DaemonSet history). */
export interface ControllerRevisionObject {
  readonly metadata?: {
    readonly name?: string;
    readonly uid?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly { readonly uid?: string; readonly kind?: string }[];
  };
  readonly revision?: number;
}

/**
 * The `controller-revision-hash` of the owner's highest-revision ControllerRevision: the one its
 * controller made (or renumbered) for the live template. Undefined when it owns none.
 */
export function currentRevisionHash(
  owner: WorkloadObject,
  revisions: readonly ControllerRevisionObject[],
): string | undefined {
  const uid = owner.metadata?.uid;
  let best: ControllerRevisionObject | undefined;
  for (const cr of revisions) {
    if (!cr.metadata?.ownerReferences?.some((o) => o.uid === uid && o.kind === owner.kind)) continue;
    if (best === undefined || (cr.revision ?? 0) > (best.revision ?? 0)) best = cr;
  }
  return best?.metadata?.labels?.['controller-revision-hash'];
}

/**
 * A DaemonSet's current pods, as its controller's `IsPodUpdated` names them: the template
 * generation label (from the annotation, which unlike metadata.generation ignores changes outside
 * the template) or the current ControllerRevision's hash.
 */
function daemonSetRevision(
  workload: WorkloadObject,
  revisions: readonly ControllerRevisionObject[],
): RevisionIdentity | undefined {
  const generation = workload.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  const hash = currentRevisionHash(workload, revisions);
  const byHash =
    hash === undefined || hash === '' ? undefined : { label: 'controller-revision-hash', value: hash };
  if (generation === undefined) return byHash;
  return {
    label: 'pod-template-generation',
    value: generation,
    ...(byHash === undefined ? {} : { alternatives: [byHash] }),
  };
}

/**
 * The revision a workload is rolling out to, once its controller has observed the latest spec;
 * undefined before that (the pods of the new revision cannot be named yet). Deployments need their
 * ReplicaSets; DaemonSets their ControllerRevisions (without them only the template generation
 * names the pods, which misses the pods a rollback returned to).
 */
export function currentRevision(
  workload: WorkloadObject,
  replicaSets: readonly WorkloadObject[] = [],
  controllerRevisions: readonly ControllerRevisionObject[] = [],
): RevisionIdentity | undefined {
  const observed = workload.status?.observedGeneration ?? 0;
  if ((workload.metadata?.generation ?? 0) > observed || observed === 0) return undefined;
  if (workload.kind === 'StatefulSet') {
    const hash = workload.status?.updateRevision;
    return hash === undefined ? undefined : { label: 'controller-revision-hash', value: hash };
  }
  if (workload.kind === 'DaemonSet') return daemonSetRevision(workload, controllerRevisions);
  const revision = revisionOf(workload);
  const rs = ownedReplicaSets(workload, replicaSets).find((r) => revisionOf(r) === revision);
  const hash = rs?.metadata?.labels?.['pod-template-hash'];
  if (rs === undefined || hash === undefined) return undefined;
  return { label: 'pod-template-hash', value: hash, revision, replicaSet: rs.metadata?.name ?? '' };
}

/** Whether `pod` carries `identity`'s label, or one of its alternatives. */
export function isPodOfRevision(pod: PodObject, identity: RevisionIdentity): boolean {
  const labels = pod.metadata?.labels;
  if (labels === undefined) return false;
  if (labels[identity.label] === identity.value) return true;
  return identity.alternatives?.some((a) => labels[a.label] === a.value) ?? false;
}

/** The pods of `identity`'s revision that are not being deleted. */
export function podsOfRevision<P extends PodObject>(pods: readonly P[], identity: RevisionIdentity): P[] {
  return pods.filter((p) => p.metadata?.deletionTimestamp === undefined && isPodOfRevision(p, identity));
}
