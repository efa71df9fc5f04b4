import { type PodObject, selectorOf, type WorkloadObject } from '../../core/diagnose/index.js';
import {
  type ControllerRevisionObject,
  checkRollout,
  currentRevision,
  podsOfRevision,
  type RevisionIdentity,
  type RolloutCheck,
  type Verification,
} from '../../core/rollout/index.js';
import { isKubefreshError, KubefreshError } from '../../errors/index.js';
import type { Clock } from '../../ports/clock.js';
import type { EventSink, PodCounts, SlowestPod, StepName } from '../../ports/events.js';
import type { KubeClient, KubeObject, WatchEvent } from '../../ports/kube.js';
import { SILENT, Steps, SYSTEM_CLOCK } from './steps.js';
import type { WorkloadTarget } from './target.js';

export interface WaitDeps {
  readonly kube: KubeClient;
  /** Default: the wall clock. */
  readonly clock?: Clock;
  /** Default: silent. */
  readonly events?: EventSink;
}

export interface WaitOptions {
  /** Only this container's failures end the wait early. Default: any container. */
  readonly container?: string;
  /** Stops waiting (Ctrl-C): the result's outcome is `interrupted`; nothing is changed. */
  readonly signal?: AbortSignal;
  /** Give up after this long (ms); 0 waits as long as the rollout may progress. Default: 0. */
  readonly timeoutMs?: number;
  /** How long a pod failure (crash loop, pull error…) must last before the wait fails (ms). Default: 30 s. */
  readonly graceMs?: number;
  /** The step name for events. Default: `wait`. */
  readonly step?: StepName;
  /**
   * Checks the revision's pods once kubectl would call the rollout done (see `verifyPods`). The
   * wait then ends only when it passes, when a ready pod runs the wrong digest, or `settleMs` after
   * the rollout was done: pod updates may arrive a moment after the workload's status.
   */
  readonly verify?: (pods: readonly PodObject[], workload: WorkloadObject) => Verification;
  /** How long to let pod updates catch up with a done rollout before `verify`'s verdict stands (ms). Default: 3 s. */
  readonly settleMs?: number;
  /**
   * Why the workload no longer carries the revision being waited for (someone else changed the
   * template), or undefined while it does; the wait then fails with `DEPLOY_SUPERSEDED`.
   */
  readonly replaced?: (workload: WorkloadObject) => string | undefined;
}

export type WaitOutcome = 'done' | 'failed' | 'interrupted' | 'timeout';

export interface WaitResult {
  readonly outcome: WaitOutcome;
  /** The workload as last seen. */
  readonly workload: WorkloadObject;
  /** The revision rolled out to, once known. */
  readonly revision: RevisionIdentity | undefined;
  /** The pods of that revision as last seen. */
  readonly pods: readonly PodObject[];
  /** Every pod of the workload as last seen (old revisions too). */
  readonly allPods: readonly PodObject[];
  readonly check: RolloutCheck | undefined;
  /** `verify`'s verdict on the revision's pods when the outcome is `done` and `verify` was given. */
  readonly verification?: Verification;
  /** Why it failed or stopped: kubectl's error, the doctor code that lasted, or the timeout. */
  readonly reason?: { readonly code: string; readonly message: string };
  readonly elapsedMs: number;
}

/** Default time for pod updates to catch up with a done rollout. */
export const DEFAULT_SETTLE_MS = 3000;
/** Default grace period for pod failures: a few image-pull or crash back-offs. */
export const DEFAULT_GRACE_MS = 30_000;
/** How often the wait re-evaluates without events, so grace periods and timeouts expire on time. */
const TICK_MS = 250;

function desiredOf(workload: WorkloadObject): number {
  if (workload.kind === 'DaemonSet') return workload.status?.desiredNumberScheduled ?? 0;
  return workload.spec?.replicas ?? 1;
}

function countsOf(workload: WorkloadObject, check: RolloutCheck): PodCounts {
  const status = workload.status ?? {};
  const updated =
    workload.kind === 'DaemonSet'
      ? (status.updatedNumberScheduled ?? 0)
      : workload.kind === 'StatefulSet'
        ? (status.updatedReplicas ?? check.pods.total)
        : (status.updatedReplicas ?? 0);
  return { desired: desiredOf(workload), updated, ready: check.pods.ready };
}

function slowestOf(pods: readonly PodObject[], now: number): SlowestPod | undefined {
  let slowest: SlowestPod | undefined;
  for (const pod of pods) {
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    const created = Date.parse(pod.metadata?.creationTimestamp ?? '');
    const ageMs = Number.isNaN(created) ? 0 : Math.max(0, now - created);
    if (slowest !== undefined && slowest.ageMs >= ageMs) continue;
    const waiting = pod.status?.containerStatuses?.find((s) => s.state?.waiting)?.state?.waiting?.reason;
    const state = waiting ?? (pod.spec?.nodeName === undefined ? 'Pending' : 'not ready');
    slowest = {
      pod: pod.metadata?.name ?? '',
      ...(pod.spec?.nodeName === undefined ? {} : { node: pod.spec.nodeName }),
      state,
      ageMs,
    };
  }
  return slowest;
}

/**
 * Waits for a workload's rollout with watches on the workload, its pods and its ReplicaSets
 * (Deployments) or ControllerRevisions (DaemonSets), evaluating kubectl's status rules and the doctor's pod failure codes on every change
 * (`checkRollout`). Dropped watches resume from their last resourceVersion; a 410 Gone re-lists.
 * Ends `done` when kubectl would say "successfully rolled out", `failed` on kubectl's errors or a pod
 * failure that outlasts `graceMs`, `interrupted` when `signal` aborts, `timeout` after `timeoutMs`.
 * It changes nothing in the cluster. Emits `step:progress` with pod counts whenever they change.
 */
export async function waitForRollout(
  deps: WaitDeps,
  target: WorkloadTarget,
  options: WaitOptions = {},
): Promise<WaitResult> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const steps = new Steps(deps.events ?? SILENT, clock);
  const step = options.step ?? 'wait';
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const started = clock.now();
  const { kube } = deps;

  let workload = await kube.get<WorkloadObject & KubeObject>(target.resource, target.namespace, target.name);
  const selector = selectorOf(workload);
  const pods = new Map<string, PodObject & KubeObject>();
  const replicaSets = new Map<string, WorkloadObject & KubeObject>();
  const revisions = new Map<string, ControllerRevisionObject & KubeObject>();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let since: ReadonlyMap<string, number> | undefined;
  let lastCheck: RolloutCheck | undefined;
  let revision: RevisionIdentity | undefined;
  let revisionPods: PodObject[] = [];
  let lastProgress = '';
  let deleted = false;
  let settle: (result: Omit<WaitResult, 'elapsedMs' | 'allPods'>) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const finished = new Promise<Omit<WaitResult, 'elapsedMs' | 'allPods'>>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  let over = false;
  let verification: Verification | undefined;
  let doneSince: number | undefined;
  const finish = (outcome: WaitOutcome, reason?: { code: string; message: string }) => {
    if (over) return;
    over = true;
    settle({
      outcome,
      workload,
      revision,
      pods: revisionPods,
      check: lastCheck,
      ...(outcome === 'done' && verification !== undefined ? { verification } : {}),
      ...(reason === undefined ? {} : { reason }),
    });
  };

  // Until every watch has delivered its first list, a verdict could be drawn from half the picture.
  const watchCount = target.kind === 'StatefulSet' ? 2 : 3;
  const synced = new Set<string>();
  const evaluate = () => {
    if (over) return;
    if (options.signal?.aborted)
      return finish('interrupted', { code: 'INTERRUPTED', message: 'stopped waiting (interrupted)' });
    if (deleted) {
      return finish('failed', {
        code: 'ROLLOUT_DELETED',
        message: `${target.kind.toLowerCase()} "${target.name}" has been deleted`,
      });
    }
    const lost = options.replaced?.(workload);
    if (lost !== undefined) return finish('failed', { code: 'DEPLOY_SUPERSEDED', message: lost });
    const now = clock.now();
    if (synced.size < watchCount) {
      if (options.timeoutMs !== undefined && options.timeoutMs > 0 && now - started >= options.timeoutMs) {
        finish('timeout', { code: 'ROLLOUT_TIMEOUT', message: 'timed out before the watches started' });
      }
      return;
    }
    revision = currentRevision(workload, [...replicaSets.values()], [...revisions.values()]);
    revisionPods = revision === undefined ? [] : podsOfRevision([...pods.values()], revision);
    // OrderedReady StatefulSets stall behind any pod that is not Ready, whatever its revision.
    const ordered =
      target.kind === 'StatefulSet' &&
      (workload.spec as { podManagementPolicy?: string } | undefined)?.podManagementPolicy !== 'Parallel';
    const inRevision = new Set(revisionPods.map((p) => p.metadata?.name));
    const blockers = ordered
      ? [...pods.values()].filter(
          (p) => !inRevision.has(p.metadata?.name) && p.metadata?.deletionTimestamp === undefined,
        )
      : [];
    const check = checkRollout({
      workload,
      pods: revisionPods,
      ...(blockers.length === 0 ? {} : { blockers }),
      ...(options.container === undefined ? {} : { container: options.container }),
      now,
      graceMs,
      ...(since === undefined ? {} : { since }),
    });
    since = check.since;
    lastCheck = check;
    const counts = countsOf(workload, check);
    const progress = `${check.status.message}|${counts.updated}|${counts.ready}|${counts.desired}`;
    if (progress !== lastProgress) {
      lastProgress = progress;
      const slowest = slowestOf(revisionPods, now);
      steps.emit({
        type: 'step:progress',
        step,
        message: check.status.message,
        pods: counts,
        ...(slowest === undefined ? {} : { slowest }),
      });
    }
    // kubectl's done is only trusted once the revision's pods are known (so they can be verified).
    if (check.state === 'done' && revision !== undefined) {
      if (options.verify === undefined) return finish('done');
      verification = options.verify(revisionPods, workload);
      const wrongDigest = verification.pods.some((p) => p.ready && p.match === null && p.imageID !== '');
      doneSince ??= now;
      if (verification.ok || wrongDigest || now - doneSince >= (options.settleMs ?? DEFAULT_SETTLE_MS)) {
        return finish('done');
      }
      return;
    }
    doneSince = undefined;
    if (check.state === 'failed') return finish('failed', check.reason);
    if (options.timeoutMs !== undefined && options.timeoutMs > 0 && now - started >= options.timeoutMs) {
      finish('timeout', {
        code: 'ROLLOUT_TIMEOUT',
        message: `timed out after ${Math.round(options.timeoutMs / 1000)}s: ${check.status.message}`,
      });
    }
  };

  // Coalesce bursts of events (a rollout writes many pods at once) into one evaluation.
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      evaluate();
    });
  };
  const apply = <T extends KubeObject>(name: string, map: Map<string, T>, event: WatchEvent<T>) => {
    if (event.type === 'RESYNC') {
      synced.add(name);
      map.clear();
      for (const o of event.objects) map.set(o.metadata?.name ?? '', o);
    } else if (event.type === 'DELETED') map.delete(event.object.metadata?.name ?? '');
    else map.set(event.object.metadata?.name ?? '', event.object);
    schedule();
  };
  const watchFailed = (error: unknown) => {
    if (over || stop.signal.aborted) return;
    over = true;
    fail(error);
  };
  const common = { namespace: target.namespace, signal: stop.signal };
  const watches = [
    kube
      .watch<WorkloadObject & KubeObject>(target.resource, common, (event) => {
        if (event.type === 'RESYNC') {
          synced.add('workload');
          const found = event.objects.find((o) => o.metadata?.name === target.name);
          if (found === undefined) deleted = true;
          else workload = found;
        } else if (event.object.metadata?.name === target.name) {
          if (event.type === 'DELETED') deleted = true;
          else workload = event.object;
        }
        schedule();
      })
      .catch(watchFailed),
    kube
      .watch<PodObject & KubeObject>(
        'pods',
        { ...common, ...(selector === undefined ? {} : { labelSelector: selector }) },
        (event) => apply('pods', pods, event),
      )
      .catch(watchFailed),
  ];
  if (target.kind === 'Deployment') {
    watches.push(
      kube
        .watch<WorkloadObject & KubeObject>(
          'replicasets',
          { ...common, ...(selector === undefined ? {} : { labelSelector: selector }) },
          (event) => apply('replicasets', replicaSets, event),
        )
        .catch(watchFailed),
    );
  }
  if (target.kind === 'DaemonSet') {
    // A DaemonSet's current pods are also named by its newest ControllerRevision's hash.
    watches.push(
      kube
        .watch<ControllerRevisionObject & KubeObject>('controllerrevisions', common, (event) =>
          apply('controllerrevisions', revisions, event),
        )
        .catch(watchFailed),
    );
  }
  const ticker = setInterval(evaluate, TICK_MS);
  if (options.signal?.aborted) evaluate();
  options.signal?.addEventListener('abort', evaluate, { once: true });
  try {
    const result = await finished;
    return { ...result, allPods: [...pods.values()], elapsedMs: clock.now() - started };
  } catch (error) {
    if (isKubefreshError(error)) throw error;
    throw new KubefreshError(
      'ROLLOUT_WATCH_FAILED',
      `watching ${target.kind.toLowerCase()}/${target.name} failed: ${String(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    clearInterval(ticker);
    options.signal?.removeEventListener('abort', onAbort);
    options.signal?.removeEventListener('abort', evaluate);
    stop.abort();
    await Promise.allSettled(watches);
  }
}

/**
 * {@link waitForRollout} for callers that have already changed the cluster and owe the user a
 * verdict: an error that outlasts the retries (the API server gone for good) is a `failed` wait
 * saying why, never an exception that would end the command without one.
 */
export async function waitOrVerdict(
  deps: WaitDeps,
  target: WorkloadTarget,
  options: WaitOptions = {},
): Promise<WaitResult> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const started = clock.now();
  try {
    return await waitForRollout(deps, target, options);
  } catch (error) {
    const code = isKubefreshError(error) ? error.code : 'ROLLOUT_WATCH_FAILED';
    const message = `could not follow the rollout: ${(error as Error)?.message ?? String(error)}`;
    return {
      outcome: 'failed',
      workload: {},
      revision: undefined,
      pods: [],
      allPods: [],
      check: undefined,
      reason: { code, message },
      elapsedMs: clock.now() - started,
    };
  }
}
