import type { WorkloadObject } from '../../core/diagnose/index.js';
import { CHANGE_CAUSE_ANNOTATION, planRollback } from '../../core/rollout/index.js';
import type { Clock } from '../../ports/clock.js';
import type { KubeClient, KubeObject } from '../../ports/kube.js';
import { withRetries } from './retry.js';
import { SYSTEM_CLOCK } from './steps.js';
import type { WorkloadTarget } from './target.js';
import { selectorOf } from './verify.js';

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
}

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
  return withRetries(deps.clock ?? SYSTEM_CLOCK, async () => {
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
        };
      }
      template = plan.template;
      revision = plan.revision;
      cause = plan.changeCause;
    } else {
      template = request.template;
      cause = request.changeCause;
    }
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
    return { message: 'rolled back', changed: true, revision, template };
  });
}
