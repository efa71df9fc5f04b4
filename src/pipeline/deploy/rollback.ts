import { type PodObject, selectorOf, type WorkloadObject } from '../../core/diagnose/index.js';
import { CHANGE_CAUSE_ANNOTATION, isPodReady, planRollback } from '../../core/rollout/index.js';
import { isKubefreshError } from '../../errors/index.js';
import type { Clock } from '../../ports/clock.js';
import type { KubeClient, KubeObject } from '../../ports/kube.js';
import { withRetries } from '../retry/index.js';
import { SYSTEM_CLOCK } from './steps.js';
import type { WorkloadTarget } from './target.js';

export interface RollbackRequest {
  /** Deployments: the revision to return to; 0 or absent is the previous one (kubectl's default). */
  readonly toRevision?: number;
  /** StatefulSets and DaemonSets (no ReplicaSet history here): the pod template to restore. */
  readonly template?: unknown;
  /** With `template`: the change cause to restore (undefined removes it). */
  readonly changeCause?: string | undefined;
}

export interface RollbackResult {
  /** kubectl's words: `rolled back`, or `skipped rollback (current template already matches revision N)`. */
  readonly message: string;
  readonly changed: boolean;
  /** The revision returned to (Deployments; 0 otherwise). */
  readonly revision: number;
  /** The restored pod template. */
  readonly template: unknown;
  /**
   * OrderedReady StatefulSets: the pods of the failed revision that were not Ready and were deleted
   * so the controller recreates them from the restored template ("forced rollback").
   */
  readonly deletedPods: readonly string[];
}

/** How long to wait for the StatefulSet controller to take up the restored template before deleting. */
const OBSERVE_TIMEOUT_MS = 30_000;
const OBSERVE_POLL_MS = 100;

type Workload = WorkloadObject & KubeObject;

/**
 * `kubectl rollout undo`: a JSON patch replacing `/spec/template` with the chosen revision's
 * template (without `pod-template-hash`) and restoring its change cause. For Deployments the
 * revision comes from the ReplicaSets (`planRollback`); a template kubefresh deployed names its
 * image by digest, so the rollback restores exactly that content. Retries 409s and 5xx.
 */
export async function rollbackTo(
  deps: { readonly kube: KubeClient; readonly clock?: Clock },
  target: WorkloadTarget,
  request: RollbackRequest = {},
): Promise<RollbackResult> {
  const { kube } = deps;
  const clock = deps.clock ?? SYSTEM_CLOCK;
  let failedRevision: string | undefined;
  const result = await withRetries(clock, async () => {
    const current = await kube.get<Workload>(target.resource, target.namespace, target.name);
    const annotations: Record<string, string> = {
      ...(current.metadata?.annotations as Record<string, string> | undefined),
    };
    let template: unknown;
    let revision = 0;
    let cause: string | undefined;
    if (request.template === undefined) {
      const selector = selectorOf(current);
      const replicaSets = await kube.list<Workload>('replicasets', {
        namespace: target.namespace,
        ...(selector === undefined ? {} : { labelSelector: selector }),
      });
      const plan = planRollback(current, replicaSets.items, request.toRevision ?? 0);
      if (plan.unchanged) {
        return {
          message: `skipped rollback (current template already matches revision ${plan.revision})`,
          changed: false,
          revision: plan.revision,
          template: plan.template,
          deletedPods: [],
        };
      }
      template = plan.template;
      revision = plan.revision;
      cause = plan.changeCause;
    } else {
      template = request.template;
      cause = request.changeCause;
    }
    failedRevision = orderedReadyUpdateRevision(current);
    if (cause === undefined) delete annotations[CHANGE_CAUSE_ANNOTATION];
    else annotations[CHANGE_CAUSE_ANNOTATION] = cause;
    await kube.patch(
      target.resource,
      target.namespace,
      target.name,
      [
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ],
      'json',
    );
    return { message: 'rolled back', changed: true, revision, template, deletedPods: [] as string[] };
  });
  if (!result.changed || failedRevision === undefined) return result;
  const deletedPods = await deleteStuckPods(kube, clock, target, failedRevision);
  if (deletedPods.length === 0) return result;
  const names = deletedPods.map((p) => `pod/${p}`).join(', ');
  return {
    ...result,
    message: `${result.message}; deleted ${names} (not Ready, failed revision ${failedRevision}) so the StatefulSet recreates ${deletedPods.length === 1 ? 'it' : 'them'} from the restored template`,
    deletedPods,
  };
}

/** The revision being rolled out by a StatefulSet whose pods are managed OrderedReady; else undefined. */
function orderedReadyUpdateRevision(workload: Workload): string | undefined {
  if (workload.kind !== 'StatefulSet') return undefined;
  const spec = workload.spec as { podManagementPolicy?: string } | undefined;
  if ((spec?.podManagementPolicy ?? 'OrderedReady') !== 'OrderedReady') return undefined;
  return workload.status?.updateRevision;
}

/**
 * Kubernetes' "forced rollback": under OrderedReady, a pod of the bad revision that never becomes
 * Ready blocks the StatefulSet forever, even after its template is restored. Once the controller
 * has taken up the restored template (so it recreates from it), deletes the pods of `failed` that
 * are not Ready, each by uid so a pod already recreated under the same name is left alone.
 */
async function deleteStuckPods(
  kube: KubeClient,
  clock: Clock,
  target: WorkloadTarget,
  failed: string,
): Promise<string[]> {
  const deadline = clock.now() + OBSERVE_TIMEOUT_MS;
  let set = await kube.get<Workload>(target.resource, target.namespace, target.name);
  // Deleting earlier would let the controller recreate the pod from the failed revision.
  while (
    clock.now() < deadline &&
    ((set.status?.observedGeneration ?? 0) < (set.metadata?.generation ?? 0) ||
      set.status?.updateRevision === failed)
  ) {
    await clock.sleep(OBSERVE_POLL_MS);
    set = await kube.get<Workload>(target.resource, target.namespace, target.name);
  }
  if (set.status?.updateRevision === failed) return [];
  const selector = selectorOf(set);
  const pods = await kube.list<PodObject & KubeObject>('pods', {
    namespace: target.namespace,
    labelSelector: `controller-revision-hash=${failed}${selector === undefined ? '' : `,${selector}`}`,
  });
  const uid = set.metadata?.uid;
  const deleted: string[] = [];
  for (const pod of pods.items) {
    if (!pod.metadata?.ownerReferences?.some((o) => o.uid === uid)) continue;
    if (pod.metadata?.deletionTimestamp !== undefined || isPodReady(pod)) continue;
    const name = pod.metadata?.name ?? '';
    try {
      await kube.delete('pods', target.namespace, name, pod.metadata?.uid ? { uid: pod.metadata.uid } : {});
      deleted.push(name);
    } catch (error) {
      // Gone already, or replaced under the same name: the controller is past it either way.
      if (!isKubefreshError(error) || !['KUBE_NOT_FOUND', 'KUBE_CONFLICT'].includes(error.code)) throw error;
    }
  }
  return deleted.sort();
}
