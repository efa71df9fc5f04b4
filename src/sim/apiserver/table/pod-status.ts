// biome-ignore lint/suspicious/noExplicitAny: printers read loosely typed API JSON
type Obj = Record<string, any>;

export interface PodSummary {
  readonly ready: string;
  readonly status: string;
  readonly restarts: number;
  /** When the most recent restart's container terminated, for `3 (45s ago)`. */
  readonly lastRestart: string | undefined;
}

function isRestartableInit(container: Obj | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

/**
 * The READY/STATUS/RESTARTS cells of `kubectl get pods`, computed as k/k `printPod` does: init
 * container failures show as `Init:<reason>` or `Init:N/M`, then the last container with a waiting
 * or terminated reason wins (`ImagePullBackOff`, `CrashLoopBackOff`, `Completed`…), and a pod
 * with a deletionTimestamp that is not finished shows `Terminating`.
 */
export function summarizePod(pod: Obj): PodSummary {
  const spec: Obj = pod.spec ?? {};
  const status: Obj = pod.status ?? {};
  const initSpecs: Obj[] = spec.initContainers ?? [];
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart: string | undefined;
  const noteRestart = (c: Obj) => {
    const finished = c.lastState?.terminated?.finishedAt;
    if (finished && (!lastRestart || finished > lastRestart)) lastRestart = finished;
  };
  let reason: string = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  for (const c of initSpecs) if (isRestartableInit(c)) total++;

  let initializing = false;
  let sidecarRestarts = 0;
  let sidecarLast: string | undefined;
  const initStatuses: Obj[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    const specOf = initSpecs.find((s) => s.name === c.name);
    restarts += c.restartCount ?? 0;
    noteRestart(c);
    if (isRestartableInit(specOf)) {
      sidecarRestarts += c.restartCount ?? 0;
      const finished = c.lastState?.terminated?.finishedAt;
      if (finished && (!sidecarLast || finished > sidecarLast)) sidecarLast = finished;
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (isRestartableInit(specOf) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some(
    (c: Obj) => c.type === 'Initialized' && c.status === 'True',
  );
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = sidecarLast;
    let hasRunning = false;
    const statuses: Obj[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      noteRestart(c);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated)
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') {
    reason = 'Terminating';
  }
  return { ready: `${ready}/${total}`, status: reason, restarts, lastRestart };
}
