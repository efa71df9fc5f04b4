import { applyDefaults } from '../../apiserver/defaults.js';
import type { KubeObject, Watch } from '../../store/index.js';
import { canonicalJson } from '../hash.js';
import { inform } from '../informer.js';
import {
  controllerOf,
  controllerRefTo,
  type LabelSelector,
  objectKey,
  type Pod,
  type PodTemplate,
  splitKey,
} from '../objects.js';
import { deletePod } from '../pod-deletion.js';
import { isPodAvailable, isPodReady } from '../pods.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  type ControllerRevision,
  hashText,
  syncRevision,
  truncateHistory,
} from '../revisions.js';
import { WorkloadController, type WorkloadControllerOptions } from '../workload-controller.js';

const STATEFUL_SETS = 'statefulsets.apps';
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export interface StatefulSet extends KubeObject {
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template?: PodTemplate;
    serviceName?: string;
    podManagementPolicy?: 'OrderedReady' | 'Parallel';
    updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number } };
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
  };
  status?: Record<string, unknown> & { currentRevision?: string; updateRevision?: string };
}

export type StatefulSetControllerOptions = WorkloadControllerOptions;

function ordinalOf(set: StatefulSet, pod: KubeObject): number {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name;
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

function revisionOfPod(pod: KubeObject): string | undefined {
  return pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
}

/**
 * kube-controller-manager's statefulset controller: pods `<set>-0 … <set>-(n-1)` with stable names,
 * created in ordinal order and, under `OrderedReady`, each only once every lower one is Running and
 * Ready; scale-down removes the highest ordinal first. Each template is a ControllerRevision; the
 * pods carry its name in `controller-revision-hash`. RollingUpdate replaces one pod at a time from
 * the highest ordinal down to `partition`; OnDelete waits for pods to be deleted by someone else.
 *
 * As in Kubernetes, a pod of a bad revision that never becomes Ready blocks an OrderedReady set
 * even after the template is reverted (the documented "forced rollback" case): it must be deleted.
 */
export class StatefulSetController extends WorkloadController {
  constructor(options: StatefulSetControllerOptions) {
    super(options, 'statefulset-controller');
  }

  protected informers(): Watch[] {
    return [
      inform(this.store, STATEFUL_SETS, (event) => {
        if (event.type !== 'DELETED') this.queue.add(objectKey(event.object));
      }),
      inform(this.store, 'pods', (event) => {
        this.enqueueController(event.object, 'StatefulSet');
      }),
    ];
  }

  /** One reconcile of one StatefulSet. Public for tests. */
  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const set = this.store.get(STATEFUL_SETS, namespace, name) as StatefulSet | undefined;
    if (!set || set.metadata.deletionTimestamp) return;
    const revisions = syncRevision(this.store, set, set.spec.template, (data) =>
      hashText(canonicalJson(data)),
    );
    const updateRevision = revisions.update;
    const currentName = set.status?.currentRevision;
    const currentRevision = revisions.all.find((cr) => cr.metadata.name === currentName) ?? updateRevision;
    const pods = this.ownedPods(set);
    this.manage(set, pods, currentRevision, updateRevision);
    const after = this.ownedPods(set);
    this.writeStatus(set, after, currentRevision, updateRevision, revisions.all.length);
    const keep = new Set([currentRevision.metadata.name, updateRevision.metadata.name]);
    for (const pod of after) {
      const rev = revisionOfPod(pod);
      if (rev) keep.add(rev);
    }
    truncateHistory(this.store, revisions.all, keep, set.spec.revisionHistoryLimit ?? 10);
  }

  private ownedPods(set: StatefulSet): Pod[] {
    const { items } = this.store.list('pods', { namespace: set.metadata.namespace });
    return (items as Pod[]).filter((pod) => controllerOf(pod)?.uid === set.metadata.uid);
  }

  /** `newVersionedStatefulSetPod`: ordinals below the partition keep the current revision. */
  private revisionFor(
    set: StatefulSet,
    ordinal: number,
    current: ControllerRevision,
    update: ControllerRevision,
  ) {
    const strategy = set.spec.updateStrategy;
    const partition = strategy?.rollingUpdate?.partition;
    if (strategy?.type !== 'OnDelete' && partition !== undefined && ordinal < partition) return current;
    return update;
  }

  private manage(
    set: StatefulSet,
    pods: Pod[],
    current: ControllerRevision,
    update: ControllerRevision,
  ): void {
    const replicas = set.spec.replicas ?? 1;
    const monotonic = (set.spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const byOrdinal: (Pod | undefined)[] = new Array(replicas).fill(undefined);
    const condemned: Pod[] = [];
    for (const pod of pods) {
      const ordinal = ordinalOf(set, pod);
      if (ordinal < 0) continue;
      if (ordinal < replicas) byOrdinal[ordinal] = pod;
      else condemned.push(pod);
    }
    condemned.sort((a, b) => ordinalOf(set, b) - ordinalOf(set, a));

    for (let ordinal = 0; ordinal < replicas; ordinal++) {
      let pod = byOrdinal[ordinal];
      if (pod?.status?.phase === 'Failed' && !pod.metadata.deletionTimestamp) {
        this.remove(set, pod);
        pod = undefined;
        byOrdinal[ordinal] = undefined;
        if (monotonic) return;
        continue;
      }
      if (!pod) {
        byOrdinal[ordinal] = this.create(set, ordinal, this.revisionFor(set, ordinal, current, update));
        if (monotonic) return;
        continue;
      }
      if (pod.metadata.deletionTimestamp && monotonic) return;
      if (!isRunningAndReady(pod) && monotonic) return;
    }

    for (const pod of condemned) {
      if (pod.metadata.deletionTimestamp) {
        if (monotonic) return;
        continue;
      }
      if (monotonic && byOrdinal.some((p) => !p || !isRunningAndReady(p))) return;
      this.remove(set, pod);
      if (monotonic) return;
    }

    if (set.spec.updateStrategy?.type === 'OnDelete') return;
    const partition = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let ordinal = replicas - 1; ordinal >= partition; ordinal--) {
      const pod = byOrdinal[ordinal];
      if (!pod) return;
      if (revisionOfPod(pod) !== update.metadata.name && !pod.metadata.deletionTimestamp) {
        this.remove(set, pod);
        return;
      }
      if (!isRunningAndReady(pod) || pod.metadata.deletionTimestamp) return;
    }
  }

  private create(set: StatefulSet, ordinal: number, revision: ControllerRevision): Pod {
    const template = set.spec.template ?? {};
    const name = `${set.metadata.name}-${ordinal}`;
    const labels: Record<string, string> = {
      ...(template.metadata?.labels ?? {}),
      [CONTROLLER_REVISION_HASH_LABEL]: revision.metadata.name,
      [POD_NAME_LABEL]: name,
      [POD_INDEX_LABEL]: String(ordinal),
    };
    // The revision's own template, so a pod below the partition keeps the old one.
    const revisionTemplate =
      ((revision.data as { spec?: { template?: PodTemplate } }).spec?.template as PodTemplate | undefined) ??
      template;
    const spec = structuredClone(revisionTemplate.spec ?? {}) as Record<string, unknown>;
    spec.hostname = name;
    if (set.spec.serviceName) spec.subdomain = set.spec.serviceName;
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: set.metadata.namespace,
        labels,
        ...(revisionTemplate.metadata?.annotations
          ? { annotations: { ...revisionTemplate.metadata.annotations } }
          : {}),
        ownerReferences: [controllerRefTo(set)],
      },
      spec,
    };
    applyDefaults(pod, true);
    const created = this.store.create('pods', pod, { adopt: true }) as Pod;
    this.events.record({
      involved: set,
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `create Pod ${name} in StatefulSet ${set.metadata.name} successful`,
    });
    return created;
  }

  private remove(set: StatefulSet, pod: Pod): void {
    deletePod(this.store, this.clock, pod.metadata.namespace, pod.metadata.name);
    this.events.record({
      involved: set,
      type: 'Normal',
      reason: 'SuccessfulDelete',
      message: `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
    });
  }

  private writeStatus(
    set: StatefulSet,
    pods: Pod[],
    current: ControllerRevision,
    update: ControllerRevision,
    _revisionCount: number,
  ): void {
    const now = this.clock.now();
    const minReady = set.spec.minReadySeconds ?? 0;
    let replicas = 0;
    let ready = 0;
    let available = 0;
    let currentReplicas = 0;
    let updatedReplicas = 0;
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      replicas++;
      if (isRunningAndReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReady, now)) available++;
      }
      const rev = revisionOfPod(pod);
      if (rev === current.metadata.name) currentReplicas++;
      if (rev === update.metadata.name) updatedReplicas++;
    }
    let currentRevision = current.metadata.name;
    // completeRollingUpdate: every pod updated and ready makes the update revision current
    if (
      set.spec.updateStrategy?.type !== 'OnDelete' &&
      updatedReplicas === replicas &&
      ready === replicas &&
      replicas === (set.spec.replicas ?? 1)
    ) {
      currentRevision = update.metadata.name;
      currentReplicas = updatedReplicas;
    }
    const status: Record<string, unknown> = {
      observedGeneration: set.metadata.generation ?? 1,
      replicas,
      ...(ready ? { readyReplicas: ready } : {}),
      ...(currentReplicas ? { currentReplicas } : {}),
      ...(updatedReplicas ? { updatedReplicas } : {}),
      currentRevision,
      updateRevision: update.metadata.name,
      collisionCount: 0,
      availableReplicas: available,
    };
    const latest = (this.store.get(STATEFUL_SETS, set.metadata.namespace, set.metadata.name) ??
      set) as StatefulSet;
    if (canonicalJson(status) === canonicalJson(latest.status ?? {})) return;
    this.store.update(
      STATEFUL_SETS,
      { ...latest, metadata: { ...latest.metadata }, status },
      { adopt: true },
    );
    if (minReady > 0 && ready > available) this.queue.addAfter(objectKey(set), minReady * 1000);
  }
}
