import type { KubeObject, Watch } from '../../store/index.js';
import { Orphans, release } from '../claim.js';
import { canonicalJson } from '../hash.js';
import { inform } from '../informer.js';
import {
  controllerOf,
  controllerRefTo,
  matchesSelector,
  objectKey,
  type Pod,
  type ReplicaSet,
  type ReplicaSetStatus,
  splitKey,
} from '../objects.js';
import { OwnerIndex } from '../owner-index.js';
import { deletePod } from '../pod-deletion.js';
import { isPodActive, isPodAvailable, isPodReady, readySince } from '../pods.js';
import { WorkloadController, type WorkloadControllerOptions } from '../workload-controller.js';
import { podFromTemplate } from './pod-template.js';

const REPLICA_SETS = 'replicasets.apps';

/** The real controller's `burstReplicas`: at most this many pods created or deleted per sync. */
const BURST_REPLICAS = 500;

export type ReplicaSetControllerOptions = WorkloadControllerOptions;

/**
 * kube-controller-manager's replicaset controller: keeps `spec.replicas` pods of the template
 * running (pods named `<rs>-<5 random>`, owned by the RS), deletes the surplus starting with the
 * least useful pods, and reports replicas/fullyLabeled/ready/available counts in `status`.
 */
export class ReplicaSetController extends WorkloadController {
  private readonly podsByOwner = new OwnerIndex(true);
  private readonly orphans = new Orphans();

  constructor(options: ReplicaSetControllerOptions) {
    super(options, 'replicaset-controller');
  }

  protected informers(): Watch[] {
    return [
      inform(this.store, REPLICA_SETS, (event) => {
        if (event.type !== 'DELETED') this.queue.add(objectKey(event.object));
      }),
      inform(this.store, 'pods', (event) => {
        const key = objectKey(event.object);
        if (event.type === 'DELETED') this.podsByOwner.remove(key);
        else this.podsByOwner.set(event.object, key);
        if (this.orphans.track(key, event.type === 'DELETED' ? undefined : event.object)) {
          this.enqueueSelecting(event.object);
        }
        this.enqueueController(event.object, 'ReplicaSet');
      }),
    ];
  }

  /** One reconcile of one ReplicaSet. Public for tests. */
  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const rs = this.store.get(REPLICA_SETS, namespace, name) as ReplicaSet | undefined;
    if (!rs) return;
    if (!rs.metadata.deletionTimestamp) this.manageReplicas(rs, this.activePods(rs));
    const current = (this.store.get(REPLICA_SETS, namespace, name) as ReplicaSet | undefined) ?? rs;
    const status = this.calculateStatus(current, this.activePods(current));
    if (canonicalJson(status) !== canonicalJson(current.status ?? {})) {
      this.store.update(
        REPLICA_SETS,
        { ...current, metadata: { ...current.metadata }, status },
        { adopt: true },
      );
    }
    const minReady = current.spec.minReadySeconds ?? 0;
    const desired = current.spec.replicas ?? 1;
    if (
      minReady > 0 &&
      (status.readyReplicas ?? 0) === desired &&
      (status.availableReplicas ?? 0) !== desired
    ) {
      // Pods become available minReadySeconds after they became ready: look again then.
      this.queue.addAfter(key, minReady * 1000);
    }
  }

  /** An orphan pod appeared: the ReplicaSets whose selector matches it may adopt it. */
  private enqueueSelecting(pod: KubeObject): void {
    const { items } = this.store.list(REPLICA_SETS, { namespace: pod.metadata.namespace });
    for (const rs of items as ReplicaSet[]) {
      if (rs.spec.selector && matchesSelector(pod.metadata.labels, rs.spec.selector))
        this.queue.add(objectKey(rs));
    }
  }

  /** The RS's active pods after claiming: matching orphans adopted, owned pods that stopped matching released. */
  private activePods(rs: ReplicaSet): Pod[] {
    const selector = rs.spec.selector ?? {};
    for (const pod of this.orphans.adopt(this.store, 'pods', rs, selector)) this.podsByOwner.set(pod);
    const out: Pod[] = [];
    for (const key of this.podsByOwner.keys(rs.metadata.uid)) {
      const { namespace, name } = splitKey(key);
      const pod = this.store.get('pods', namespace, name) as Pod | undefined;
      if (!pod || controllerOf(pod)?.uid !== rs.metadata.uid) continue;
      if (!matchesSelector(pod.metadata.labels, selector)) {
        if (!pod.metadata.deletionTimestamp)
          this.podsByOwner.set(release(this.store, 'pods', pod, rs.metadata.uid ?? ''));
        continue;
      }
      if (isPodActive(pod)) out.push(pod);
    }
    return out;
  }

  private manageReplicas(rs: ReplicaSet, pods: Pod[]): void {
    const diff = pods.length - (rs.spec.replicas ?? 1);
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      for (let i = 0; i < count; i++) {
        const pod = this.store.create('pods', podFromTemplate(rs, controllerRefTo(rs)), { adopt: true });
        this.podsByOwner.set(pod);
        this.events.record({
          involved: rs,
          type: 'Normal',
          reason: 'SuccessfulCreate',
          message: `Created pod: ${pod.metadata.name}`,
        });
      }
      if (-diff > count) this.queue.add(objectKey(rs));
    } else if (diff > 0) {
      const victims = podsToDelete(pods, Math.min(diff, BURST_REPLICAS));
      for (const pod of victims) {
        deletePod(this.store, this.clock, pod.metadata.namespace, pod.metadata.name);
        this.events.record({
          involved: rs,
          type: 'Normal',
          reason: 'SuccessfulDelete',
          message: `Deleted pod: ${pod.metadata.name}`,
        });
      }
    }
  }

  private calculateStatus(rs: ReplicaSet, pods: Pod[]): ReplicaSetStatus {
    const now = this.clock.now();
    const minReady = rs.spec.minReadySeconds ?? 0;
    const templateLabels = rs.spec.template?.metadata?.labels ?? {};
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    for (const pod of pods) {
      if (matchesSelector(pod.metadata.labels, { matchLabels: templateLabels })) fullyLabeled++;
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReady, now)) available++;
      }
    }
    // `replicas` is always serialized; the other counts are omitted when zero, as in the API.
    const status: ReplicaSetStatus = { replicas: pods.length };
    if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    status.observedGeneration = rs.metadata.generation ?? 1;
    if (rs.status?.conditions?.length) status.conditions = rs.status.conditions;
    return status;
  }
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * The `count` pods to delete first, by the controller's ranking: unscheduled before scheduled,
 * pending before running, not ready before ready, recently ready before long ready, more restarts
 * before fewer, newer before older.
 */
export function podsToDelete(pods: Pod[], count: number): Pod[] {
  const rank = (pod: Pod) => ({
    scheduled: pod.spec?.nodeName ? 1 : 0,
    phase: PHASE_RANK[pod.status?.phase ?? 'Pending'] ?? 0,
    ready: isPodReady(pod) ? 1 : 0,
    readySince: readySince(pod) ?? 0,
    restarts: (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
    created: pod.metadata.creationTimestamp ?? '',
  });
  const ranked = pods.map((pod) => ({ pod, r: rank(pod) }));
  ranked.sort(
    (a, b) =>
      a.r.scheduled - b.r.scheduled ||
      a.r.phase - b.r.phase ||
      a.r.ready - b.r.ready ||
      b.r.readySince - a.r.readySince ||
      b.r.restarts - a.r.restarts ||
      (a.r.created === b.r.created ? 0 : a.r.created > b.r.created ? -1 : 1),
  );
  return ranked.slice(0, count).map(({ pod }) => pod);
}
