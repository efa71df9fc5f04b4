import type { ContainerLogs } from './container-logs.js';

// biome-ignore lint/suspicious/noExplicitAny: pod specs are untyped JSON, read defensively here
export type Json = any;

/** A container state exactly as the API shows it: one of waiting / running / terminated. */
export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | {
      terminated: {
        exitCode: number;
        reason: string;
        message?: string;
        startedAt: string;
        finishedAt: string;
        containerID?: string;
      };
    };

/** What the kubelet tracks per container of a pod. */
export interface ContainerRecord {
  readonly name: string;
  readonly init: boolean;
  spec: Json;
  restartCount: number;
  /** How many instances were created (the first creation is not a restart). */
  instances: number;
  state: ContainerState;
  lastState: ContainerState | undefined;
  ready: boolean;
  started: boolean;
  /** `sha256:<config>` of the image the current/last instance runs. */
  imageId: string | undefined;
  containerId: string | undefined;
  readonly logs: ContainerLogs;
  /** Sim time of the last termination, for the crash-loop back-off. */
  finishedAt: number | undefined;
}

/** Image names containerd reports for a container at status time (§3). */
export interface ImageNames {
  /** `repoTags[0]`, or undefined when the image has no tag any more. */
  readonly repoTag: string | undefined;
  /** `repoDigests[0]`, else the image id. */
  readonly imageRef: string;
}

export function containerStatus(record: ContainerRecord, names: ImageNames | undefined): Json {
  const created = record.containerId !== undefined;
  return {
    name: record.name,
    state: record.state,
    lastState: record.lastState ?? {},
    ready: record.ready,
    restartCount: record.restartCount,
    // Before any instance exists, the kubelet shows the spec image and an empty imageID.
    image: created ? (names?.repoTag ?? record.imageId ?? record.spec.image) : record.spec.image,
    imageID: created ? (names?.imageRef ?? record.imageId ?? '') : '',
    ...(created ? { containerID: `containerd://${record.containerId}` } : {}),
    started: record.started,
  };
}

/** `kubelet getPhase`: how container states add up to the pod phase. */
export function podPhase(
  restartPolicy: string,
  init: readonly ContainerRecord[],
  main: readonly ContainerRecord[],
): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  for (const record of init) {
    const terminated = 'terminated' in record.state ? record.state.terminated : undefined;
    if (terminated && terminated.exitCode === 0) continue;
    if (terminated && restartPolicy === 'Never') return 'Failed';
    return 'Pending';
  }
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const record of main) {
    if ('running' in record.state) running++;
    else if ('terminated' in record.state) {
      stopped++;
      if (record.state.terminated.exitCode === 0) succeeded++;
    } else if (record.lastState && 'terminated' in record.lastState) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}

/** QoS class from requests and limits, as the API computes it. */
export function qosClass(spec: Json): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers: Json[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const container of containers) {
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
    for (const resource of ['cpu', 'memory']) {
      if (limits[resource] === undefined) guaranteed = false;
      else if (requests[resource] !== undefined && requests[resource] !== limits[resource])
        guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
