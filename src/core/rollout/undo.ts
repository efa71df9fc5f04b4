import { KubefreshError } from '../../errors/index.js';
import type { WorkloadObject } from '../diagnose/types.js';
import { CHANGE_CAUSE_ANNOTATION, ownedReplicaSets, revisionOf } from './revision.js';

/** What `rollout undo` writes back: a revision's pod template and its change cause. */
export interface RollbackPlan {
  readonly revision: number;
  readonly replicaSet: string;
  /** The ReplicaSet's template without `pod-template-hash`. */
  readonly template: unknown;
  readonly changeCause: string | undefined;
  /** True when the Deployment's template already equals it (kubectl: "skipped rollback"). */
  readonly unchanged: boolean;
}

function withoutHash(template: unknown): Record<string, unknown> {
  const copy = structuredClone((template ?? {}) as Record<string, unknown>);
  const labels = (copy.metadata as { labels?: Record<string, string> } | undefined)?.labels;
  if (labels) delete labels['pod-template-hash'];
  return copy;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * kubectl's `rollout undo` choice (`polymorphichelpers/rollback.go`): revision `toRevision`, or with
 * 0 the ReplicaSet with the second-highest revision. Errors use kubectl's words.
 */
export function planRollback(
  deployment: WorkloadObject,
  replicaSets: readonly WorkloadObject[],
  toRevision = 0,
): RollbackPlan {
  const name = deployment.metadata?.name ?? '';
  const owned = ownedReplicaSets(deployment, replicaSets);
  let target: WorkloadObject | undefined;
  if (toRevision === 0) {
    if (owned.length < 2) {
      throw new KubefreshError('ROLLOUT_NO_HISTORY', `no rollout history found for deployment "${name}"`, {
        hint: 'a Deployment has a previous revision only after its pod template changed once',
      });
    }
    target = owned[1];
  } else {
    target = owned.find((rs) => revisionOf(rs) === toRevision);
    if (target === undefined) {
      throw new KubefreshError(
        'ROLLOUT_REVISION_NOT_FOUND',
        `unable to find specified revision ${toRevision} in history`,
        {
          hint: `kubefresh history deployment/${name} lists the revisions kept (revisionHistoryLimit)`,
        },
      );
    }
  }
  const template = withoutHash(target!.spec?.template);
  return {
    revision: revisionOf(target!),
    replicaSet: target!.metadata?.name ?? '',
    template,
    changeCause: target!.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION],
    unchanged: canonical(template) === canonical(withoutHash(deployment.spec?.template)),
  };
}
