import {
  type NodeObject,
  type PodObject,
  selectorOf,
  type WorkloadObject,
} from '../../core/diagnose/index.js';
import type { RegistryImage } from '../../core/digest-match/index.js';
import {
  type ControllerRevisionObject,
  currentRevision,
  podsOfRevision,
  type RevisionIdentity,
  type Verification,
  verifyPods,
} from '../../core/rollout/index.js';
import { KubefreshError } from '../../errors/index.js';
import type { KubeClient, KubeObject } from '../../ports/kube.js';
import type { WorkloadTarget } from './target.js';

export interface RevisionVerification extends Verification {
  readonly revision: RevisionIdentity | undefined;
}

/** How many pods a revision should have. */
export function desiredPods(workload: WorkloadObject): number {
  if (workload.kind === 'DaemonSet') return workload.status?.desiredNumberScheduled ?? 0;
  return workload.spec?.replicas ?? 1;
}

/**
 * Proves, from a fresh read, that the workload's current revision runs `expected`: every pod of it
 * is Ready and its `container`'s imageID matches the registry's digest (index-aware). Reads the
 * workload, its ReplicaSets (Deployments) or ControllerRevisions (DaemonSets), its pods and the
 * nodes; changes nothing.
 */
export async function verifyRevision(
  kube: KubeClient,
  target: WorkloadTarget,
  container: string,
  expected: RegistryImage,
): Promise<RevisionVerification> {
  const workload = await kube.get<WorkloadObject & KubeObject>(
    target.resource,
    target.namespace,
    target.name,
  );
  const selector = selectorOf(workload);
  const list = {
    namespace: target.namespace,
    ...(selector === undefined ? {} : { labelSelector: selector }),
  };
  const [pods, replicaSets, revisions, nodes] = await Promise.all([
    kube.list<PodObject & KubeObject>('pods', list),
    target.kind === 'Deployment' ? kube.list<WorkloadObject & KubeObject>('replicasets', list) : undefined,
    // Owner references pick the DaemonSet's revisions: their labels are not promised to match its selector.
    target.kind === 'DaemonSet'
      ? kube.list<ControllerRevisionObject & KubeObject>('controllerrevisions', {
          namespace: target.namespace,
        })
      : undefined,
    kube.list<NodeObject & KubeObject>('nodes'),
  ]);
  const revision = currentRevision(workload, replicaSets?.items ?? [], revisions?.items ?? []);
  if (revision === undefined) {
    throw new KubefreshError(
      'ROLLOUT_REVISION_UNKNOWN',
      `${target.kind.toLowerCase()}/${target.name} has not observed its latest spec yet, so its pods cannot be verified`,
      { hint: 'wait for the rollout first, then verify' },
    );
  }
  const verification = verifyPods({
    pods: podsOfRevision(pods.items, revision),
    desired: desiredPods(workload),
    container,
    expected,
    nodes: nodes.items,
  });
  return { ...verification, revision };
}
