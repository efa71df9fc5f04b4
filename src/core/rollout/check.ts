import type { PodObject } from '../diagnose/types.js';
import { FAIL_FAST_CODES, isPodReady, type PodFailure, podFailure } from './pod-failure.js';
import { type RolloutObject, type RolloutStatus, rolloutStatus } from './status.js';

export interface RolloutCheckInput {
  readonly workload: RolloutObject;
  /** The pods of the revision being rolled out (see `podsOfRevision`). */
  readonly pods: readonly PodObject[];
  /**
   * Pods of other revisions the rollout cannot pass while they fail: an OrderedReady StatefulSet's
   * controller updates no pod while another one is not Ready, so a crash-looping old pod stalls it
   * for ever. Their failures end the wait as the revision's own do. Default: none.
   */
  readonly blockers?: readonly PodObject[];
  /** Only this container's failures count. Default: every container. */
  readonly container?: string;
  /** Now, in the caller's clock (ms). */
  readonly now: number;
  /** `since` from the previous check: when each pod's failure was first seen. */
  readonly since?: ReadonlyMap<string, number>;
  /** How long a failure must last before the rollout counts as failed (ms). */
  readonly graceMs: number;
}

export interface RolloutCheck {
  readonly state: 'waiting' | 'done' | 'failed';
  readonly status: RolloutStatus;
  /** Every failing pod seen now, worst first (longest-lasting). */
  readonly failures: readonly PodFailure[];
  /** Pass to the next check. */
  readonly since: ReadonlyMap<string, number>;
  /** Why the rollout failed: kubectl's error, or the doctor code that outlasted the grace period. */
  readonly reason?: { readonly code: string; readonly message: string };
  /** Pods of the revision: how many exist and how many are ready. */
  readonly pods: { readonly total: number; readonly ready: number };
}

const key = (f: PodFailure) => f.pod;

/**
 * One evaluation of a rollout: kubectl's status plus the doctor's pod failures. A failure stops the
 * wait once it has lasted `graceMs` on a pod (a crash-looping pod keeps its first-seen time between
 * restarts; a pod that becomes ready or goes away forgets it), so a transient pull error is waited
 * out but a crash loop is not waited on for the whole progress deadline (kubectl#738).
 */
export function checkRollout(input: RolloutCheckInput): RolloutCheck {
  const status = rolloutStatus(input.workload);
  const previous = input.since ?? new Map<string, number>();
  const since = new Map<string, number>();
  const failures: PodFailure[] = [];
  let ready = 0;
  const blocking = new Set((input.blockers ?? []).map((p) => p.metadata?.name ?? ''));
  for (const pod of [...input.pods, ...(input.blockers ?? [])]) {
    const name = pod.metadata?.name ?? '';
    if (isPodReady(pod)) {
      if (!blocking.has(name)) ready++;
      continue;
    }
    const failure = podFailure(pod, input.container);
    const seen = previous.get(name);
    if (failure === undefined || !FAIL_FAST_CODES.has(failure.code)) {
      // A crash loop flips between running and waiting: remember the pod until it is ready or gone.
      if (seen !== undefined) since.set(name, seen);
      continue;
    }
    const first = seen ?? input.now;
    since.set(key(failure), first);
    failures.push(failure);
  }
  failures.sort((a, b) => (since.get(key(a)) ?? 0) - (since.get(key(b)) ?? 0));
  const pods = { total: input.pods.length, ready };
  if (status.failed !== undefined) {
    const worst = failures[0];
    const message =
      worst === undefined ? status.failed.message : `${status.failed.message}: ${describe(worst)}`;
    return { state: 'failed', status, failures, since, pods, reason: { code: status.failed.code, message } };
  }
  if (status.done) return { state: 'done', status, failures, since, pods };
  const expired = failures.find((f) => input.now - (since.get(key(f)) ?? input.now) >= input.graceMs);
  if (expired !== undefined) {
    const same = failures.filter((f) => f.code === expired.code).length;
    const more = same > 1 ? ` (and ${same - 1} more pod${same > 2 ? 's' : ''})` : '';
    return {
      state: 'failed',
      status,
      failures,
      since,
      pods,
      reason: {
        code: expired.code,
        message: `${describe(expired)}${more}${blocking.has(expired.pod) ? ` (a pod of an earlier revision: the StatefulSet controller updates no other pod while it is not Ready)` : ''}`,
      },
    };
  }
  return { state: 'waiting', status, failures, since, pods };
}

/** `pod web-1 on k3s-agent-1: CrashLoopBackOff (last exit 1, Error)` */
export function describe(failure: PodFailure): string {
  const where = failure.node === undefined ? '' : ` on ${failure.node}`;
  return `pod ${failure.pod}${where}: ${failure.detail}`;
}
