import { apiTime } from '../clock.js';
import {
  type ContainerRecord,
  containerStatus,
  type ImageNames,
  type Json,
  podPhase,
  qosClass,
} from './pod-status.js';

/** Remembers when each pod condition last flipped, for `lastTransitionTime`. */
export class ConditionTimes {
  private readonly times = new Map<string, { status: string; time: string }>();

  constructor(private readonly now: () => number) {}

  condition(type: string, ok: boolean, reason?: string, message?: string): Json {
    const status = ok ? 'True' : 'False';
    const previous = this.times.get(type);
    const time = previous && previous.status === status ? previous.time : apiTime(this.now());
    this.times.set(type, { status, time });
    return {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: time,
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    };
  }
}

export interface PodStatusInput {
  readonly spec: Json;
  /** The stored conditions: PodScheduled belongs to the scheduler and is kept as it is. */
  readonly previousConditions: readonly Json[];
  readonly init: readonly ContainerRecord[];
  readonly main: readonly ContainerRecord[];
  /** Image names by image id, as containerd reports them now. */
  readonly names: ReadonlyMap<string, ImageNames | undefined>;
  readonly hostIP: string;
  readonly podIP: string;
  readonly startTime: string;
  readonly conditions: ConditionTimes;
}

/**
 * `pod.status` as the kubelet's `generateAPIPodStatus` writes it: phase, the five conditions in
 * the kubelet's order, IPs, start time, container statuses and QoS class.
 */
export function buildPodStatus(input: PodStatusInput): Json {
  const { init, main, conditions } = input;
  const restartPolicy = input.spec?.restartPolicy ?? 'Always';
  const phase = podPhase(restartPolicy, init, main);
  const unready = main.filter((r) => !r.ready).map((r) => r.name);
  const incomplete = init
    .filter((r) => !('terminated' in r.state && r.state.terminated.exitCode === 0))
    .map((r) => r.name);
  const completed = phase === 'Succeeded';
  const notReadyReason = completed ? 'PodCompleted' : 'ContainersNotReady';
  const notReadyMessage = completed ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const scheduled = input.previousConditions.find((c) => c.type === 'PodScheduled');
  const statusOf = (r: ContainerRecord) =>
    containerStatus(r, r.imageId ? input.names.get(r.imageId) : undefined);
  return {
    phase,
    conditions: [
      conditions.condition('PodReadyToStartContainers', true),
      incomplete.length === 0
        ? conditions.condition('Initialized', true, completed ? 'PodCompleted' : undefined)
        : conditions.condition(
            'Initialized',
            false,
            'ContainersNotInitialized',
            `containers with incomplete status: [${incomplete.join(' ')}]`,
          ),
      unready.length === 0
        ? conditions.condition('Ready', true)
        : conditions.condition('Ready', false, notReadyReason, notReadyMessage),
      unready.length === 0
        ? conditions.condition('ContainersReady', true)
        : conditions.condition('ContainersReady', false, notReadyReason, notReadyMessage),
      scheduled ?? {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: input.startTime,
      },
    ],
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    podIP: input.podIP,
    podIPs: [{ ip: input.podIP }],
    startTime: input.startTime,
    ...(init.length > 0 ? { initContainerStatuses: init.map(statusOf) } : {}),
    containerStatuses: main.map(statusOf),
    qosClass: qosClass(input.spec ?? {}),
  };
}
