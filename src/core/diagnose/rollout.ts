import { rolloutStatus } from '../rollout/status.js';
import type { WorkloadObject } from './types.js';

/** Where a workload's rollout stands, in kubectl's own words. */
export interface RolloutState {
  readonly done: boolean;
  /** True when the Deployment's Progressing condition says ProgressDeadlineExceeded. */
  readonly stuck: boolean;
  readonly message: string;
}

/**
 * The doctor's view of kubectl's `rollout status`: the shared pure evaluation in core/rollout
 * (same checks, order and messages as kubectl), reduced to done / stuck / message.
 */
export function rolloutState(workload: WorkloadObject): RolloutState {
  const status = rolloutStatus({ ...workload, kind: workload.kind ?? 'Deployment' });
  return {
    done: status.done,
    stuck: status.failed?.code === 'ROLLOUT_DEADLINE_EXCEEDED',
    message: status.message,
  };
}
