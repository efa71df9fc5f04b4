import { currentRevision, isPodOfRevision } from '../rollout/revision.js';
import type { ClusterSnapshot, ContainerSpec, PodObject, WorkloadObject } from './types.js';

/** One thing doctor reports on: a workload with its pods, or a pod no workload owns. */
export interface Unit {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The workload object; undefined for a bare pod. */
  readonly object?: WorkloadObject;
  /** The containers the spec declares now (init containers first). */
  readonly containers: readonly ContainerSpec[];
  /** Pods of the current revision. */
  readonly currentPods: readonly PodObject[];
  /** Pods of earlier revisions still around (a rollout in progress). */
  readonly oldPods: readonly PodObject[];
  /** Whether an earlier revision exists to roll back to. */
  readonly canRollBack: boolean;
}

/** The unit's kind, namespace (when it has one) and name: how findings and remedies name it. */
export function unitRef(unit: Unit): { kind: string; namespace?: string; name: string } {
  return {
    kind: unit.kind,
    ...(unit.namespace === undefined ? {} : { namespace: unit.namespace }),
    name: unit.name,
  };
}

const REVISION = 'deployment.kubernetes.io/revision';

function ownerUids(obj: { metadata?: { ownerReferences?: readonly { uid?: string }[] } }): string[] {
  return (obj.metadata?.ownerReferences ?? []).map((o) => o.uid ?? '').filter((uid) => uid !== '');
}

function key(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

function revisionOf(obj: WorkloadObject): number {
  return Number(obj.metadata?.annotations?.[REVISION] ?? 0) || 0;
}

function containersOf(
  spec: { containers?: readonly ContainerSpec[]; initContainers?: readonly ContainerSpec[] } | undefined,
): ContainerSpec[] {
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

/**
 * Groups the snapshot into units: each Deployment with the pods of its ReplicaSets (the current
 * revision apart from older ones), each StatefulSet and DaemonSet with its pods (current by
 * `controller-revision-hash` / `pod-template-generation`), then every pod no listed workload owns.
 * Ownership follows `ownerReferences` uids; terminating pods are left out.
 */
export function buildUnits(snapshot: ClusterSnapshot): Unit[] {
  const podsByOwner = new Map<string, PodObject[]>();
  for (const pod of snapshot.pods) {
    if (pod.metadata?.deletionTimestamp !== undefined) continue;
    for (const uid of ownerUids(pod)) {
      const list = podsByOwner.get(uid);
      if (list) list.push(pod);
      else podsByOwner.set(uid, [pod]);
    }
  }
  const rsByOwner = new Map<string, WorkloadObject[]>();
  for (const rs of snapshot.replicaSets) {
    for (const uid of ownerUids(rs)) {
      const list = rsByOwner.get(uid);
      if (list) list.push(rs);
      else rsByOwner.set(uid, [rs]);
    }
  }
  const claimed = new Set<PodObject>();
  const units: Unit[] = [];
  for (const workload of snapshot.workloads) {
    const meta = workload.metadata ?? {};
    const uid = meta.uid ?? '';
    const kind = workload.kind ?? 'Deployment';
    let current: PodObject[] = [];
    let old: PodObject[] = [];
    let canRollBack = false;
    if (kind === 'Deployment') {
      const sets = rsByOwner.get(uid) ?? [];
      canRollBack = sets.length > 1;
      const wanted = revisionOf(workload) || Math.max(0, ...sets.map(revisionOf));
      for (const rs of sets) {
        const pods = podsByOwner.get(rs.metadata?.uid ?? '') ?? [];
        if (revisionOf(rs) === wanted) current = current.concat(pods);
        else old = old.concat(pods);
      }
    } else {
      const pods = podsByOwner.get(uid) ?? [];
      const isCurrent = currentPodTest(workload);
      for (const pod of pods) (isCurrent(pod) ? current : old).push(pod);
      canRollBack = kind !== 'DaemonSet' || (workload.metadata?.generation ?? 1) > 1;
    }
    for (const pod of [...current, ...old]) claimed.add(pod);
    units.push({
      kind,
      ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
      name: meta.name ?? '',
      object: workload,
      containers: containersOf(workload.spec?.template?.spec),
      currentPods: sortPods(current),
      oldPods: sortPods(old),
      canRollBack,
    });
  }
  for (const pod of snapshot.pods) {
    if (claimed.has(pod) || pod.metadata?.deletionTimestamp !== undefined) continue;
    if (ownedByListedReplicaSet(pod, snapshot)) continue;
    const meta = pod.metadata ?? {};
    units.push({
      kind: 'Pod',
      ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
      name: meta.name ?? '',
      containers: containersOf(pod.spec),
      currentPods: [pod],
      oldPods: [],
      canRollBack: false,
    });
  }
  return units;
}

/** A pod of a ReplicaSet that belongs to a Deployment outside the scope is not a unit of its own. */
function ownedByListedReplicaSet(pod: PodObject, snapshot: ClusterSnapshot): boolean {
  const owners = pod.metadata?.ownerReferences ?? [];
  return (
    owners.some(
      (o) =>
        o.kind === 'ReplicaSet' || o.kind === 'StatefulSet' || o.kind === 'DaemonSet' || o.kind === 'Job',
    ) && snapshot.workloads.length > 0
  );
}

/**
 * Which pods of a StatefulSet or DaemonSet show what the spec runs now: those of the current revision
 * (core/rollout's rule, shared with deploy's verification); a pod that carries none of the revision
 * labels cannot be placed and is judged too.
 */
function currentPodTest(workload: WorkloadObject): (pod: PodObject) => boolean {
  if (workload.kind !== 'StatefulSet' && workload.kind !== 'DaemonSet') return () => true;
  const identity = currentRevision(workload);
  if (identity === undefined) return () => true;
  const labels = [identity.label, ...(identity.alternatives ?? []).map((a) => a.label)];
  return (pod) =>
    isPodOfRevision(pod, identity) || labels.every((label) => pod.metadata?.labels?.[label] === undefined);
}

function sortPods(pods: PodObject[]): PodObject[] {
  return pods.sort((a, b) =>
    key(a.metadata?.namespace, a.metadata?.name).localeCompare(key(b.metadata?.namespace, b.metadata?.name)),
  );
}
