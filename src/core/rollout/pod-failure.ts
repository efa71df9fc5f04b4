import { classifyPullError, pullErrorCause, WAITING_REASONS } from '../diagnose/classify.js';
import { CODE_INFO, DOCTOR_CODES, type DoctorCode } from '../diagnose/codes.js';
import type { ContainerStatus, PodObject } from '../diagnose/types.js';

/** Why one pod of a rollout is not coming up, in the doctor's codes. */
export interface PodFailure {
  readonly code: DoctorCode;
  readonly pod: string;
  readonly node?: string;
  readonly container?: string;
  /** The kubelet's own words: waiting message, terminated reason, scheduler message. */
  readonly detail: string;
  readonly restartCount?: number;
}

/**
 * The doctor's failure codes that make a rollout hopeless while they last: every code whose
 * verdict is "failing" (pull errors, crash loops, missing ConfigMaps/Secrets, OOM kills, invalid
 * names, unschedulable pods) except ROLLOUT_STUCK, which is the rollout's own verdict, not a pod's.
 * Each is only treated as final after a grace period, since a pull can succeed on retry and a
 * ConfigMap can still arrive.
 */
export const FAIL_FAST_CODES: ReadonlySet<DoctorCode> = new Set<DoctorCode>(
  DOCTOR_CODES.filter((code) => CODE_INFO[code].verdict === 'failing' && code !== 'ROLLOUT_STUCK'),
);

function containerFailure(status: ContainerStatus): Omit<PodFailure, 'pod' | 'node'> | undefined {
  const waiting = status.state?.waiting;
  const reason = waiting?.reason ?? '';
  const cls = WAITING_REASONS[reason];
  if (cls === undefined) return undefined;
  const base = { container: status.name, restartCount: status.restartCount ?? 0 };
  const message = waiting?.message ?? '';
  if (cls === 'pull') {
    return {
      ...base,
      code: classifyPullError(message) ?? 'PULL_UNREACHABLE',
      detail: message === '' ? reason : `${reason}: ${pullErrorCause(message)}`,
    };
  }
  if (cls === 'CRASH_LOOP' && status.lastState?.terminated?.reason === 'OOMKilled') {
    return {
      ...base,
      code: 'OOM_KILLED',
      detail: `OOMKilled (exit ${status.lastState.terminated.exitCode ?? 137})`,
    };
  }
  if (cls === 'CRASH_LOOP') {
    const last = status.lastState?.terminated;
    const exit =
      last === undefined
        ? ''
        : ` (last exit ${last.exitCode ?? '?'}${last.reason ? `, ${last.reason}` : ''})`;
    return { ...base, code: 'CRASH_LOOP', detail: `${reason}${exit}` };
  }
  return { ...base, code: cls, detail: message === '' ? reason : `${reason}: ${message}` };
}

/**
 * Why `pod` is failing, or undefined while it is fine or merely starting. Looks at init containers
 * first (they block the rest), then at `container` (or every container), then at scheduling.
 */
export function podFailure(pod: PodObject, container?: string): PodFailure | undefined {
  const name = pod.metadata?.name ?? '';
  const node = pod.spec?.nodeName;
  const where = { pod: name, ...(node === undefined ? {} : { node }) };
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []).filter((s) => container === undefined || s.name === container),
  ];
  for (const status of statuses) {
    const failure = containerFailure(status);
    if (failure !== undefined) return { ...where, ...failure };
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return { ...where, code: 'UNSCHEDULABLE', detail: scheduled.message ?? 'Unschedulable' };
  }
  return undefined;
}

/** The pod's Ready condition is True (kubectl's "ready"). */
export function isPodReady(pod: PodObject): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
