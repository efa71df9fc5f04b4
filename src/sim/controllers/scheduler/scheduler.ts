import type { Clock } from '../../../ports/clock.js';
import { apiTime } from '../../clock.js';
import { EventRecorder } from '../../events/index.js';
import type { ObjectStore, Watch } from '../../store/index.js';
import { inform } from '../informer.js';
import { type Condition, controllerOf, findCondition, objectKey, type Pod, splitKey } from '../objects.js';
import { WorkQueue } from '../work-queue.js';
import { failedSchedulingMessage, type NodeView, rejectionReason } from './filters.js';

/** The scheduler name pods ask for by default. */
export const DEFAULT_SCHEDULER = 'default-scheduler';

/** Unschedulable pods are retried at least this often even when no node changes (cluster time). */
const UNSCHEDULABLE_RETRY_MS = 60_000;

interface NodeState {
  node: NodeView;
  /** False while only pods name the node (it was deleted or is not seen yet): never a candidate. */
  known: boolean;
  /** What the filters read from the node, to tell a relevant change from a heartbeat. */
  fit: string;
  pods: number;
  byOwner: Map<string, number>;
}

export interface SchedulerOptions {
  readonly store: ObjectStore;
  readonly clock: Clock;
  readonly onError?: (key: string, error: unknown) => void;
}

/**
 * kube-scheduler, reduced to what the simulated cluster needs: pending pods are bound to the
 * feasible node with the fewest pods of the same owner, then the fewest pods overall (spreading
 * replicas like the default scoring does). Nodes are filtered by cordon, taints (NoSchedule /
 * NoExecute), the Ready condition and nodeSelector/required node affinity. A pod that fits
 * nowhere gets `PodScheduled=False` (reason `Unschedulable`) and a `FailedScheduling` event, and
 * is retried when nodes change.
 */
export class Scheduler {
  private readonly store: ObjectStore;
  private readonly clock: Clock;
  private readonly queue: WorkQueue;
  private readonly events: EventRecorder;
  private readonly nodes = new Map<string, NodeState>();
  private readonly placements = new Map<string, { node: string; owner: string | undefined }>();
  private readonly unschedulable = new Set<string>();
  private readonly watches: Watch[] = [];
  private cancelRetry: (() => void) | undefined;

  constructor(options: SchedulerOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.queue = new WorkQueue(options.clock, (key) => this.schedule(key), options.onError);
    this.events = new EventRecorder(options.store, options.clock, { component: DEFAULT_SCHEDULER });
  }

  start(): void {
    this.watches.push(
      inform(this.store, 'nodes', (event) => {
        const name = event.object.metadata.name;
        const state = this.nodes.get(name);
        if (event.type === 'DELETED') {
          if (state) state.known = false;
          return;
        }
        const node = event.object as NodeView;
        const fit = fitSignature(node);
        // Heartbeats change nothing the filters look at: only a change that could let a pod fit
        // (or a new node) sends unschedulable pods back to the queue, as the real queueing hints do.
        const relevant = !state?.known || state.fit !== fit;
        if (state) {
          state.node = node;
          state.known = true;
          state.fit = fit;
        } else {
          this.nodes.set(name, { node, known: true, fit, pods: 0, byOwner: new Map() });
        }
        if (relevant) this.retryUnschedulable();
      }),
      inform(this.store, 'pods', (event) => {
        const pod = event.object as Pod;
        const key = objectKey(pod);
        if (event.type === 'DELETED') {
          this.unplace(key);
          this.unschedulable.delete(key);
          return;
        }
        if (pod.spec?.nodeName) {
          this.place(key, pod);
          this.unschedulable.delete(key);
        } else if (this.isOurs(pod) && !this.unschedulable.has(key)) {
          this.queue.add(key);
        }
      }),
    );
    this.scheduleRetry();
  }

  stop(): void {
    for (const watch of this.watches) watch.stop();
    this.watches.length = 0;
    this.queue.stop();
    this.cancelRetry?.();
  }

  private isOurs(pod: Pod): boolean {
    return (
      (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER) === DEFAULT_SCHEDULER && !pod.metadata.deletionTimestamp
    );
  }

  /** One scheduling attempt for one pod. Public for tests. */
  schedule(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = this.store.get('pods', namespace, name) as Pod | undefined;
    if (!pod || pod.spec?.nodeName || !this.isOurs(pod)) return;
    const owner = controllerOf(pod)?.uid ?? pod.metadata.uid;
    const reasons = new Map<string, number>();
    let best: NodeState | undefined;
    let bestOwned = 0;
    let nodeCount = 0;
    for (const state of this.nodes.values()) {
      if (!state.known) continue;
      nodeCount++;
      const reason = rejectionReason(pod, state.node);
      if (reason) {
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        continue;
      }
      const owned = owner ? (state.byOwner.get(owner) ?? 0) : 0;
      if (
        !best ||
        owned < bestOwned ||
        (owned === bestOwned && state.pods < best.pods) ||
        (owned === bestOwned &&
          state.pods === best.pods &&
          state.node.metadata.name < best.node.metadata.name)
      ) {
        best = state;
        bestOwned = owned;
      }
    }
    if (best) this.bind(key, pod, best.node.metadata.name);
    else this.reportUnschedulable(key, pod, failedSchedulingMessage(nodeCount, reasons));
  }

  private bind(key: string, pod: Pod, nodeName: string): void {
    // A new pod object that shares what does not change with the stored one (never mutated).
    const status = pod.status ?? {};
    const next: Pod = {
      ...pod,
      metadata: { ...pod.metadata },
      spec: { ...pod.spec, nodeName },
      status: {
        ...status,
        conditions: withCondition(status.conditions, {
          type: 'PodScheduled',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: apiTime(this.clock.now()),
        }),
      },
    };
    const saved = this.store.update('pods', next, { adopt: true }) as Pod;
    this.unschedulable.delete(key);
    this.place(key, saved);
    this.events.record({
      involved: saved,
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`,
    });
  }

  private reportUnschedulable(key: string, pod: Pod, message: string): void {
    this.unschedulable.add(key);
    const current = findCondition(pod.status?.conditions, 'PodScheduled');
    if (current?.status !== 'False' || current.reason !== 'Unschedulable' || current.message !== message) {
      const next = structuredClone(pod);
      next.status ??= {};
      next.status.phase ??= 'Pending';
      next.status.conditions = withCondition(next.status.conditions, {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime:
          current?.status === 'False' && current.lastTransitionTime
            ? current.lastTransitionTime
            : apiTime(this.clock.now()),
        reason: 'Unschedulable',
        message,
      });
      this.store.update('pods', next);
    }
    this.events.record({ involved: pod, type: 'Warning', reason: 'FailedScheduling', message });
  }

  private retryUnschedulable(): void {
    for (const key of this.unschedulable) this.queue.add(key);
    this.unschedulable.clear();
  }

  private scheduleRetry(): void {
    this.cancelRetry = this.clock.setTimeout(() => {
      this.retryUnschedulable();
      this.scheduleRetry();
    }, UNSCHEDULABLE_RETRY_MS);
  }

  private place(key: string, pod: Pod): void {
    const nodeName = pod.spec.nodeName!;
    const existing = this.placements.get(key);
    if (existing?.node === nodeName) return;
    if (existing) this.unplace(key);
    const owner = controllerOf(pod)?.uid;
    this.placements.set(key, { node: nodeName, owner });
    let state = this.nodes.get(nodeName);
    if (!state) {
      // A pod can name a node the scheduler has not seen yet; count it once the node appears.
      const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName } };
      state = { node, known: false, fit: '', pods: 0, byOwner: new Map() };
      this.nodes.set(nodeName, state);
    }
    state.pods++;
    if (owner) state.byOwner.set(owner, (state.byOwner.get(owner) ?? 0) + 1);
  }

  private unplace(key: string): void {
    const placement = this.placements.get(key);
    if (!placement) return;
    this.placements.delete(key);
    const state = this.nodes.get(placement.node);
    if (!state) return;
    state.pods--;
    if (placement.owner) {
      const count = (state.byOwner.get(placement.owner) ?? 1) - 1;
      if (count <= 0) state.byOwner.delete(placement.owner);
      else state.byOwner.set(placement.owner, count);
    }
  }
}

function fitSignature(node: NodeView): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '';
  return JSON.stringify([
    node.metadata.labels ?? {},
    node.spec?.unschedulable ?? false,
    node.spec?.taints ?? [],
    ready,
  ]);
}

function withCondition(conditions: Condition[] | undefined, condition: Condition): Condition[] {
  const list = (conditions ?? []).filter((c) => c.type !== condition.type);
  list.push(condition);
  return list;
}
