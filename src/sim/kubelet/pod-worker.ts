import { randomBytes } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';
import { apiTime } from '../clock.js';
import type { EventRecorder } from '../events/index.js';
import type { NodeImageStore } from '../node/index.js';
import type { KubeObject, ObjectStore } from '../store/index.js';
import type { Backoff } from './backoff.js';
import { behaviourOf } from './behaviour.js';
import { ContainerConfigError, resolveContainerEnv } from './container-env.js';
import { ContainerLogs, type LogNotFound, type LogOptions } from './container-logs.js';
import { goDuration, parseQuantity } from './format.js';
import type { ImageManager } from './image-manager.js';
import type { ContainerRecord, ContainerState, ImageNames, Json } from './pod-status.js';
import { buildPodStatus, ConditionTimes } from './pod-status-builder.js';

/** How often the kubelet re-syncs a pod stuck on an error it cannot back off from (config errors). */
const RESYNC_MS = 10_000;
/** The pod worker re-syncs soon after an error; by then the image back-off is in force. */
const ERROR_REQUEUE_MS = 1_000;
/** Sim time an OOM-killed process lives after starting. */
const OOM_AFTER_MS = 500;
/** Sim time a container needs to stop after SIGTERM. */
const STOP_MS = 200;

export interface PodWorkerContext {
  readonly store: ObjectStore;
  readonly clock: Clock;
  readonly recorder: EventRecorder;
  readonly imageManager: ImageManager;
  readonly images: NodeImageStore;
  readonly crashBackoff: Backoff;
  readonly nodeName: string;
  readonly hostIP: string;
  allocatePodIP(): string;
  /** The worker removed its pod (deleted) or stopped for good. */
  onGone(uid: string): void;
}

/**
 * One pod on one node: sandbox, init containers in order, then the app containers, each with the
 * kubelet's state machine (pull → config → create → start → run → exit → restart with back-off),
 * publishing `pod.status` after every change.
 */
export class PodWorker {
  readonly uid: string;
  private pod: KubeObject;
  private readonly abort = new AbortController();
  private readonly init: ContainerRecord[];
  private readonly main: ContainerRecord[];
  private readonly startTime: string;
  private readonly podIP: string;
  private readonly conditions: ConditionTimes;
  private publishing = false;
  private dirty = false;
  private lastPublished = '';
  private terminating = false;
  /** Per container: aborts the current attempt (its sleeps, pull or run) when the spec changes. */
  private readonly attempts = new Map<string, AbortController>();

  constructor(
    private readonly ctx: PodWorkerContext,
    pod: KubeObject,
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid ?? '';
    const spec = pod.spec as Json;
    const record = (container: Json, init: boolean): ContainerRecord => ({
      name: container.name,
      init,
      spec: container,
      restartCount: 0,
      instances: 0,
      state: { waiting: { reason: init ? 'PodInitializing' : 'ContainerCreating' } },
      lastState: undefined,
      ready: false,
      started: false,
      imageId: undefined,
      containerId: undefined,
      logs: new ContainerLogs(),
      finishedAt: undefined,
    });
    this.init = (spec.initContainers ?? []).map((c: Json) => record(c, true));
    this.main = (spec.containers ?? []).map((c: Json) => record(c, false));
    if (this.init.length > 0) {
      this.init[0]!.state = { waiting: { reason: 'PodInitializing' } };
      for (const r of this.main) r.state = { waiting: { reason: 'PodInitializing' } };
    }
    this.startTime = apiTime(ctx.clock.now());
    this.conditions = new ConditionTimes(() => ctx.clock.now());
    this.podIP = ctx.allocatePodIP();
  }

  get namespace(): string {
    return this.pod.metadata.namespace ?? 'default';
  }

  get name(): string {
    return this.pod.metadata.name;
  }

  start(): void {
    this.schedulePublish();
    this.run().catch((error) => {
      if (!this.abort.signal.aborted) throw error;
    });
  }

  /** A newer version of the pod arrived from the store. */
  update(pod: KubeObject): void {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp) {
      if (!this.terminating) void this.terminate();
      return;
    }
    // Only `image` may change on a live pod; the kubelet restarts a container whose spec changed.
    const spec = pod.spec as Json;
    for (const record of [...this.init, ...this.main]) {
      const list: Json[] = (record.init ? spec.initContainers : spec.containers) ?? [];
      const next = list.find((c) => c.name === record.name);
      if (!next || next.image === record.spec.image) continue;
      record.spec = next;
      if ('running' in record.state) {
        this.ctx.recorder.record({
          involved: pod,
          type: 'Normal',
          reason: 'Killing',
          message: `Container ${record.name} definition changed, will be restarted`,
          fieldPath: `spec.${record.init ? 'initContainers' : 'containers'}{${record.name}}`,
        });
      }
      this.attempts.get(record.name)?.abort(new Error('container definition changed'));
    }
  }

  /** Stops without touching the store (the kubelet itself stops, or the pod vanished). */
  stop(): void {
    this.abort.abort(new Error('pod worker stopped'));
  }

  /**
   * A container's log as the kubelet serves it (`validateContainerLogStatus`): the running or last
   * terminated instance, or with `previous` the instance in `lastState`; otherwise why not.
   */
  logs(container: string, options: LogOptions): string | LogNotFound {
    const record = [...this.init, ...this.main].find((r) => r.name === container);
    const pod = this.name;
    if (!record) return { notFound: `container "${container}" in pod "${pod}" is not available` };
    const idOf = (state: ContainerState | undefined) =>
      state && 'terminated' in state
        ? state.terminated.containerID?.replace(/^containerd:\/\//, '')
        : undefined;
    let id: string | undefined;
    const state = record.state;
    if (options.previous) {
      id = idOf(record.lastState);
      if (!id) return { notFound: `previous terminated container "${container}" in pod "${pod}" not found` };
    } else if ('running' in state) {
      id = record.containerId;
    } else if ('terminated' in state) {
      id = idOf(state) ?? idOf(record.lastState);
    } else if (idOf(record.lastState)) {
      id = idOf(record.lastState);
    } else {
      const reason = state.waiting.reason;
      const why =
        reason === 'ErrImagePull'
          ? "image can't be pulled"
          : reason === 'ImagePullBackOff'
            ? 'trying and failing to pull image'
            : reason;
      return { notFound: `container "${container}" in pod "${pod}" is waiting to start: ${why}` };
    }
    const text = id === undefined ? undefined : record.logs.read(id, options, this.ctx.clock.now());
    return text ?? { notFound: `container "${container}" in pod "${pod}" is terminated` };
  }

  private async run(): Promise<void> {
    const restartPolicy = this.restartPolicy();
    for (const record of this.init) {
      for (;;) {
        const exit = await this.runInstance(record);
        if (exit === undefined) continue;
        if (exit === 0) break;
        if (restartPolicy === 'Never') {
          this.skipMain();
          return;
        }
        await this.crashBackoff(record);
      }
    }
    await Promise.all(this.main.map((record) => this.containerLoop(record, restartPolicy)));
  }

  private async containerLoop(record: ContainerRecord, restartPolicy: string): Promise<void> {
    for (;;) {
      const exit = await this.runInstance(record);
      if (exit === undefined) continue;
      const restart = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && exit !== 0);
      if (!restart) return;
      await this.crashBackoff(record);
    }
  }

  /** After a failed init container with restartPolicy Never, app containers never start. */
  private skipMain(): void {
    for (const record of this.main) record.state = { waiting: { reason: 'PodInitializing' } };
    this.schedulePublish();
  }

  /**
   * One attempt to create and run an instance. Resolves with its exit code, or undefined when it
   * could not be created (the state says why and the caller retries after the right wait).
   */
  private async runInstance(record: ContainerRecord): Promise<number | undefined> {
    const attempt = new AbortController();
    this.attempts.set(record.name, attempt);
    try {
      return await this.attempt(record, AbortSignal.any([this.abort.signal, attempt.signal]));
    } catch (error) {
      if (this.abort.signal.aborted || !attempt.signal.aborted) throw error;
      // The spec changed: the running instance was stopped; start the new one without back-off.
      if ('running' in record.state) {
        record.state = {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: record.state.running.startedAt,
            finishedAt: apiTime(this.ctx.clock.now()),
            containerID: `containerd://${record.containerId}`,
          },
        };
        record.ready = false;
        record.started = false;
      }
      return undefined;
    } finally {
      if (this.attempts.get(record.name) === attempt) this.attempts.delete(record.name);
    }
  }

  private async attempt(record: ContainerRecord, signal: AbortSignal): Promise<number | undefined> {
    const { clock, recorder } = this.ctx;
    const fieldPath = `spec.${record.init ? 'initContainers' : 'containers'}{${record.name}}`;
    const event = (type: 'Normal' | 'Warning', reason: string, message: string) =>
      recorder.record({ involved: this.pod, type, reason, message, fieldPath });
    const waitWith = async (reason: string, message: string, ms: number) => {
      record.state = { waiting: { reason, message } };
      event('Warning', 'Failed', `Error: ${reason === 'CreateContainerConfigError' ? message : reason}`);
      this.schedulePublish();
      await clock.sleep(ms, signal);
    };

    const ensured = await this.ctx.imageManager.ensure(this.pod, record.spec, fieldPath, signal);
    if (!ensured.ok) {
      if (ensured.reason === 'ErrImagePull')
        await waitWith(ensured.reason, ensured.message, ERROR_REQUEUE_MS);
      else if (ensured.reason === 'ImagePullBackOff') {
        const until = this.ctx.imageManager.backoffUntil(this.pod, record.spec);
        await waitWith(ensured.reason, ensured.message, Math.max(ERROR_REQUEUE_MS, until - clock.now()));
      } else await waitWith(ensured.reason, ensured.message, RESYNC_MS);
      return undefined;
    }
    const image = ensured.image;
    let env: Map<string, string>;
    try {
      env = new Map([
        ...envOfImage(image.config.env),
        ...resolveContainerEnv(this.ctx.store, this.pod, record.spec, {
          podIP: this.podIP,
          hostIP: this.ctx.hostIP,
          nodeName: this.ctx.nodeName,
        }),
      ]);
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      await waitWith('CreateContainerConfigError', error.message, RESYNC_MS);
      return undefined;
    }

    // Create: a new instance; every instance after the first is a restart.
    if (record.instances > 0) {
      record.restartCount++;
      if ('terminated' in record.state) record.lastState = record.state;
    }
    record.instances++;
    record.containerId = randomBytes(32).toString('hex');
    record.imageId = image.id;
    record.ready = false;
    record.started = false;
    event('Normal', 'Created', `Created container: ${record.name}`);

    const command: string[] = record.spec.command ?? image.config.entrypoint;
    const args: string[] = record.spec.command
      ? (record.spec.args ?? [])
      : (record.spec.args ?? image.config.cmd);
    const argv = [...command, ...args];
    if (argv.length === 0) {
      const message = 'failed to generate container spec: no command specified';
      record.state = { waiting: { reason: 'CreateContainerError', message } };
      event('Warning', 'Failed', `Error: ${message}`);
      this.schedulePublish();
      await clock.sleep(RESYNC_MS, signal);
      return undefined;
    }
    if (isMissingExecutable(argv[0]!, image.config.labels)) {
      const now = clock.now();
      const message = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown`;
      record.state = {
        terminated: {
          exitCode: 128,
          reason: 'StartError',
          message,
          startedAt: apiTime(0),
          finishedAt: apiTime(now),
          containerID: `containerd://${record.containerId}`,
        },
      };
      record.finishedAt = now;
      record.logs.startInstance(record.containerId);
      event('Warning', 'Failed', `Error: ${message}`);
      this.schedulePublish();
      return 128;
    }

    const behaviour = behaviourOf(image.config);
    const startedAt = clock.now();
    const containerId = record.containerId;
    record.logs.startInstance(containerId);
    record.state = { running: { startedAt: apiTime(startedAt) } };
    record.started = !record.spec.startupProbe;
    event('Normal', 'Started', `Started container ${record.name}`);
    if (!record.spec.readinessProbe && !record.init) record.ready = true;
    this.schedulePublish();

    const cancelTimers: (() => void)[] = [];
    const upAt = behaviour.startDelayMs;
    if (record.spec.startupProbe) {
      cancelTimers.push(
        clock.setTimeout(() => {
          record.started = true;
          this.schedulePublish();
        }, upAt),
      );
    }
    if (record.spec.readinessProbe && !record.init) {
      const initialDelay = Number(record.spec.readinessProbe.initialDelaySeconds ?? 0) * 1000;
      cancelTimers.push(
        clock.setTimeout(
          () => {
            record.ready = true;
            this.schedulePublish();
          },
          Math.max(initialDelay, upAt + behaviour.readyDelayMs),
        ),
      );
    }

    // What the process does: write its log lines once up, then exit (or run until stopped).
    let exitCode = behaviour.exitCode;
    let reason: string | undefined;
    let runFor = behaviour.exitCode === undefined ? undefined : upAt + behaviour.runDurationMs;
    const logLines = [...behaviour.logLines];
    const missing = behaviour.requiredEnv.filter((name) => !env.has(name));
    if (missing.length > 0) {
      logLines.push(`missing required environment variable ${missing[0]}`);
      exitCode = 1;
      runFor = upAt;
    }
    const limit = parseQuantity(record.spec.resources?.limits?.memory);
    if (behaviour.memoryBytes !== undefined && limit !== undefined && behaviour.memoryBytes > limit) {
      exitCode = 137;
      reason = 'OOMKilled';
      runFor = Math.min(runFor ?? Number.POSITIVE_INFINITY, upAt + OOM_AFTER_MS);
    }
    try {
      if (upAt > 0) await clock.sleep(upAt, signal);
      for (const line of logLines) record.logs.write(containerId, clock.now(), line);
      if (runFor === undefined) {
        await new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        );
      }
      await clock.sleep(Math.max(0, (runFor ?? 0) - upAt), signal);
    } finally {
      for (const cancel of cancelTimers) cancel();
    }
    const code = exitCode ?? 0;
    const finished = clock.now();
    record.finishedAt = finished;
    // A successfully completed init container reports ready, as the kubelet shows it.
    record.ready = record.init && code === 0;
    record.started = false;
    record.state = {
      terminated: {
        exitCode: code,
        reason: reason ?? (code === 0 ? 'Completed' : 'Error'),
        startedAt: apiTime(startedAt),
        finishedAt: apiTime(finished),
        containerID: `containerd://${record.containerId}`,
      },
    };
    this.schedulePublish();
    return code;
  }

  private async crashBackoff(record: ContainerRecord): Promise<void> {
    const { clock, crashBackoff, recorder } = this.ctx;
    // The kubelet's key ends with the container's spec hash: a changed spec starts without back-off.
    const key = `${this.name}_${this.namespace}_${this.uid}_${record.name}_${record.spec.image}`;
    const finished = record.finishedAt ?? clock.now();
    if (crashBackoff.inBackOffSince(key, finished, clock.now())) {
      const delay = crashBackoff.get(key);
      const podText = `${this.name}_${this.namespace}(${this.uid})`;
      if ('terminated' in record.state) record.lastState = record.state;
      record.state = {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${goDuration(delay)} restarting failed container=${record.name} pod=${podText}`,
        },
      };
      recorder.record({
        involved: this.pod,
        type: 'Warning',
        reason: 'BackOff',
        message: `Back-off restarting failed container ${record.name} in pod ${podText}`,
        fieldPath: `spec.${record.init ? 'initContainers' : 'containers'}{${record.name}}`,
      });
      this.schedulePublish();
      const wait = new AbortController();
      this.attempts.set(record.name, wait);
      try {
        await clock.sleep(
          Math.max(0, finished + delay - clock.now()),
          AbortSignal.any([this.abort.signal, wait.signal]),
        );
      } catch (error) {
        if (this.abort.signal.aborted || !wait.signal.aborted) throw error;
        return;
      } finally {
        if (this.attempts.get(record.name) === wait) this.attempts.delete(record.name);
      }
    }
    crashBackoff.next(key, clock.now());
  }

  private async terminate(): Promise<void> {
    this.terminating = true;
    const { clock, recorder, store } = this.ctx;
    for (const record of [...this.init, ...this.main]) {
      if (!('running' in record.state)) continue;
      recorder.record({
        involved: this.pod,
        type: 'Normal',
        reason: 'Killing',
        message: `Stopping container ${record.name}`,
        fieldPath: `spec.${record.init ? 'initContainers' : 'containers'}{${record.name}}`,
      });
    }
    this.abort.abort(new Error('pod is being deleted'));
    const grace = Number(this.pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    await clock.sleep(Math.min(grace, STOP_MS));
    const now = clock.now();
    for (const record of [...this.init, ...this.main]) {
      if (!('running' in record.state)) continue;
      record.state = {
        terminated: {
          exitCode: 0,
          reason: 'Completed',
          startedAt: record.state.running.startedAt,
          finishedAt: apiTime(now),
          containerID: `containerd://${record.containerId}`,
        },
      };
      record.ready = false;
    }
    const current = store.get('pods', this.namespace, this.name);
    if (current && current.metadata.uid === this.uid) {
      try {
        store.delete('pods', this.namespace, this.name);
      } catch {
        // already gone
      }
    }
    this.ctx.onGone(this.uid);
  }

  private restartPolicy(): string {
    return (this.pod.spec as Json)?.restartPolicy ?? 'Always';
  }

  schedulePublish(): void {
    this.dirty = true;
    if (this.publishing) return;
    this.publishing = true;
    queueMicrotask(() => void this.publishLoop());
  }

  private async publishLoop(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        await this.publish();
      }
    } finally {
      this.publishing = false;
    }
  }

  private async publish(): Promise<void> {
    const names = new Map<string, ImageNames | undefined>();
    for (const record of [...this.init, ...this.main]) {
      if (record.imageId === undefined || names.has(record.imageId)) continue;
      const image = await this.ctx.images.resolve(record.imageId);
      names.set(
        record.imageId,
        image
          ? { repoTag: image.repoTags[0], imageRef: image.repoDigests[0] ?? image.id }
          : { repoTag: undefined, imageRef: record.imageId },
      );
    }
    const { store } = this.ctx;
    const current = store.get('pods', this.namespace, this.name);
    if (!current || current.metadata.uid !== this.uid) return;
    const status = buildPodStatus({
      spec: current.spec as Json,
      previousConditions: ((current.status as Json)?.conditions ?? []) as Json[],
      init: this.init,
      main: this.main,
      names,
      hostIP: this.ctx.hostIP,
      podIP: this.podIP,
      startTime: this.startTime,
      conditions: this.conditions,
    });
    const text = JSON.stringify(status);
    if (text === this.lastPublished) return;
    this.lastPublished = text;
    // Only the status changes: the rest is shared with the stored pod, which is never mutated.
    const { resourceVersion: _rv, ...metadata } = current.metadata;
    store.update('pods', { ...current, metadata, status }, { adopt: true });
  }

  /** Declared for tests and debugging: the container records. */
  containers(): readonly ContainerRecord[] {
    return [...this.init, ...this.main];
  }
}

function envOfImage(entries: readonly string[]): [string, string][] {
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    return eq === -1 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
  });
}

/**
 * An image may list the executables it contains (`io.kubefresh.sim.executables`, comma-separated);
 * a command outside that list fails to start, like runc's `executable file not found in $PATH`.
 */
function isMissingExecutable(command: string, labels: Readonly<Record<string, string>>): boolean {
  const list = labels['io.kubefresh.sim.executables'];
  if (list === undefined) return false;
  const available = list.split(',').map((s) => s.trim());
  return !available.includes(command) && !available.includes(command.split('/').pop() ?? command);
}

export type { ContainerState };
