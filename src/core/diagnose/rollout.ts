import type { WorkloadObject } from './types.js';

/** Where a workload's rollout stands, in kubectl's own words. */
export interface RolloutState {
  readonly done: boolean;
  /** True when the Deployment's Progressing condition says ProgressDeadlineExceeded. */
  readonly stuck: boolean;
  readonly message: string;
}

/**
 * kubectl's `rollout status` evaluation (`polymorphichelpers/rollout_status.go`), as a pure
 * function: the same checks in the same order with the same messages. It never looks at digests.
 */
export function rolloutState(workload: WorkloadObject): RolloutState {
  const kind = workload.kind ?? 'Deployment';
  const name = workload.metadata?.name ?? '';
  const generation = workload.metadata?.generation ?? 0;
  const status = workload.status ?? {};
  const noun = kind.toLowerCase();
  if (generation > (status.observedGeneration ?? 0)) {
    return { done: false, stuck: false, message: `Waiting for ${noun} spec update to be observed...` };
  }
  const replicas = workload.spec?.replicas ?? 1;
  if (kind === 'DaemonSet') {
    const desired = status.desiredNumberScheduled ?? 0;
    const updated = status.updatedNumberScheduled ?? 0;
    const available = status.numberAvailable ?? 0;
    if (updated < desired) {
      return {
        done: false,
        stuck: false,
        message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
      };
    }
    if (available < desired) {
      return {
        done: false,
        stuck: false,
        message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`,
      };
    }
    return { done: true, stuck: false, message: `daemon set "${name}" successfully rolled out` };
  }
  if (kind === 'StatefulSet') {
    const ready = status.readyReplicas ?? 0;
    if (ready < replicas) {
      return {
        done: false,
        stuck: false,
        message: `Waiting for ${replicas - ready} pods to be ready...`,
      };
    }
    if (status.updateRevision !== undefined && status.updateRevision !== status.currentRevision) {
      return {
        done: false,
        stuck: false,
        message: `waiting for statefulset rolling update to complete ${status.updatedReplicas ?? 0} pods at revision ${status.updateRevision}...`,
      };
    }
    return {
      done: true,
      stuck: false,
      message: `statefulset rolling update complete ${replicas} pods at revision ${status.currentRevision ?? ''}...`,
    };
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { done: false, stuck: true, message: `deployment "${name}" exceeded its progress deadline` };
  }
  const updated = status.updatedReplicas ?? 0;
  const current = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const wait = `Waiting for deployment "${name}" rollout to finish: `;
  if (updated < replicas) {
    return {
      done: false,
      stuck: false,
      message: `${wait}${updated} out of ${replicas} new replicas have been updated...`,
    };
  }
  if (current > updated) {
    return {
      done: false,
      stuck: false,
      message: `${wait}${current - updated} old replicas are pending termination...`,
    };
  }
  if (available < updated) {
    return {
      done: false,
      stuck: false,
      message: `${wait}${available} of ${updated} updated replicas are available...`,
    };
  }
  return { done: true, stuck: false, message: `deployment "${name}" successfully rolled out` };
}
