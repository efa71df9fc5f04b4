import {
  type ClusterSnapshot,
  type EventObject,
  type NodeObject,
  type PodObject,
  selectorOf,
  type WorkloadObject,
} from '../../core/diagnose/index.js';
import { isKubefreshError } from '../../errors/index.js';
import type { KubeClient, KubeObject, KubeResource } from '../../ports/kube.js';
import { observed } from '../retry/index.js';
import type { DoctorScope, TargetKind } from './scope.js';

/** The cluster half of a snapshot (the registry facts come after). */
export type ClusterObjects = Omit<ClusterSnapshot, 'registry' | 'logs' | 'hints'>;

const TARGET_RESOURCES: Readonly<Record<TargetKind, KubeResource>> = {
  deployment: 'deployments',
  statefulset: 'statefulsets',
  daemonset: 'daemonsets',
  pod: 'pods',
};

/** A list that the server does not serve (404 on the collection) is empty, not an error. */
async function listOrEmpty<T extends KubeObject>(
  kube: KubeClient,
  resource: KubeResource,
  namespace: string | undefined,
  labelSelector?: string,
): Promise<T[]> {
  try {
    return (
      await kube.list<T>(resource, {
        ...(namespace === undefined ? {} : { namespace }),
        ...(labelSelector === undefined ? {} : { labelSelector }),
      })
    ).items;
  } catch (error) {
    if (isKubefreshError(error) && error.code === 'KUBE_NOT_FOUND') return [];
    throw error;
  }
}

function owners(obj: { metadata?: { ownerReferences?: readonly { uid?: string }[] } }): string[] {
  return (obj.metadata?.ownerReferences ?? []).map((o) => o.uid ?? '');
}

/**
 * Reads everything diagnosis needs in a fixed number of requests whatever the cluster's size:
 * with a namespace (or -A) and an optional label selector, one list each of Deployments,
 * StatefulSets, DaemonSets, ReplicaSets, pods, nodes and events (7 requests); for one workload a
 * get plus lists of its ReplicaSets and pods (by its selector), nodes and events.
 */
export async function gatherCluster(kube: KubeClient, scope: DoctorScope): Promise<ClusterObjects> {
  const namespace = scope.allNamespaces ? undefined : scope.namespace;
  // Started before the target is read; `observed` keeps its rejection from ending the process first.
  const nodesP = observed(listOrEmpty<NodeObject & KubeObject>(kube, 'nodes', undefined));
  if (scope.target !== undefined) {
    const target = await kube.get<KubeObject>(
      TARGET_RESOURCES[scope.target.kind],
      scope.namespace,
      scope.target.name,
    );
    const eventsP = observed(listOrEmpty<EventObject & KubeObject>(kube, 'events', scope.namespace));
    if (scope.target.kind === 'pod') {
      const [nodes, events] = await Promise.all([nodesP, eventsP]);
      return {
        workloads: [],
        replicaSets: [],
        pods: [target as PodObject],
        nodes,
        events: events.filter((e) => e.involvedObject?.name === scope.target!.name),
      };
    }
    const workload = target as WorkloadObject;
    const selector = selectorOf(workload);
    const [replicaSets, pods, nodes, events] = await Promise.all([
      scope.target.kind === 'deployment'
        ? listOrEmpty<WorkloadObject & KubeObject>(kube, 'replicasets', scope.namespace, selector)
        : Promise.resolve([]),
      listOrEmpty<PodObject & KubeObject>(kube, 'pods', scope.namespace, selector),
      nodesP,
      eventsP,
    ]);
    return { workloads: [workload], ...keepOwned([workload], replicaSets, pods), nodes, events };
  }
  const selector = scope.labelSelector;
  const [deployments, statefulSets, daemonSets, replicaSets, pods, nodes, events] = await Promise.all([
    listOrEmpty<WorkloadObject & KubeObject>(kube, 'deployments', namespace, selector),
    listOrEmpty<WorkloadObject & KubeObject>(kube, 'statefulsets', namespace, selector),
    listOrEmpty<WorkloadObject & KubeObject>(kube, 'daemonsets', namespace, selector),
    listOrEmpty<WorkloadObject & KubeObject>(kube, 'replicasets', namespace),
    listOrEmpty<PodObject & KubeObject>(kube, 'pods', namespace),
    nodesP,
    listOrEmpty<EventObject & KubeObject>(kube, 'events', namespace),
  ]);
  const workloads = [...deployments, ...statefulSets, ...daemonSets];
  if (selector === undefined) return { workloads, replicaSets, pods, nodes, events };
  // Pod templates need not carry the workload's own labels: keep what the selected workloads own.
  return { workloads, ...keepOwned(workloads, replicaSets, pods), nodes, events };
}

function keepOwned(
  workloads: readonly WorkloadObject[],
  replicaSets: readonly WorkloadObject[],
  pods: readonly PodObject[],
): { replicaSets: WorkloadObject[]; pods: PodObject[] } {
  const uids = new Set(workloads.map((w) => w.metadata?.uid ?? ''));
  const keptSets = replicaSets.filter((rs) => owners(rs).some((uid) => uids.has(uid)));
  for (const rs of keptSets) uids.add(rs.metadata?.uid ?? '');
  return { replicaSets: keptSets, pods: pods.filter((pod) => owners(pod).some((uid) => uids.has(uid))) };
}
