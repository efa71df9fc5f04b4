import { applyDefaults } from '../../apiserver/defaults.js';
import { TEMPLATE_GENERATION_ANNOTATION } from '../../apiserver/workload-kinds.js';
import type { KubeObject, Watch } from '../../store/index.js';
import { scaledValue } from '../deployment/fenceposts.js';
import { canonicalJson, computePodTemplateHash } from '../hash.js';
import { inform } from '../informer.js';
import {
  controllerOf,
  controllerRefTo,
  type LabelSelector,
  matchesExpression,
  objectKey,
  type Pod,
  type PodTemplate,
  splitKey,
  type Toleration,
} from '../objects.js';
import { deletePod } from '../pod-deletion.js';
import { isPodAvailable, isPodReady } from '../pods.js';
import { CONTROLLER_REVISION_HASH_LABEL, syncRevision, truncateHistory } from '../revisions.js';
import { type NodeView, tolerates } from '../scheduler/filters.js';
import { WorkloadController, type WorkloadControllerOptions } from '../workload-controller.js';

const DAEMON_SETS = 'daemonsets.apps';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

export interface DaemonSet extends KubeObject {
  spec: {
    selector?: LabelSelector;
    template?: PodTemplate;
    updateStrategy?: {
      type?: 'RollingUpdate' | 'OnDelete';
      rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string };
    };
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
  };
  status?: Record<string, unknown>;
}

/** The tolerations the DaemonSet controller adds to every daemon pod (`util.AddOrUpdateDaemonPodTolerations`). */
export const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export type DaemonSetControllerOptions = WorkloadControllerOptions;

function withDaemonTolerations(tolerations: readonly Toleration[] | undefined): Toleration[] {
  const out = [...(tolerations ?? [])];
  for (const t of DAEMON_TOLERATIONS) {
    if (!out.some((have) => have.key === t.key && have.effect === t.effect)) out.push({ ...t });
  }
  return out;
}

/**
 * Whether a daemon pod of `template` belongs on `node` (`NodeShouldRunDaemonPod`): nodeSelector and
 * required node affinity match, and every NoSchedule/NoExecute taint is tolerated, counting the
 * tolerations daemon pods always get (so a cordoned node keeps its daemon pods).
 */
export function shouldRunOn(template: PodTemplate | undefined, node: NodeView): boolean {
  const spec = template?.spec ?? {};
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries(spec.nodeSelector ?? {})) if (labels[key] !== value) return false;
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (
    terms?.length &&
    !terms.some((t) => (t.matchExpressions ?? []).every((e) => matchesExpression(labels, e)))
  )
    return false;
  const tolerations = withDaemonTolerations(spec.tolerations);
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerates(tolerations, taint)) return false;
  }
  return true;
}

/**
 * kube-controller-manager's daemonset controller: one pod per eligible node, named `<ds>-<5
 * random>` and bound to its node directly (`spec.nodeName` plus the `metadata.name` node affinity
 * the real controller sets), labelled with the revision hash and the template generation. Pods on
 * nodes that stop being eligible are deleted. RollingUpdate (maxSurge 0) deletes old pods while at
 * most `maxUnavailable` nodes lack an available pod; OnDelete leaves old pods alone.
 */
export class DaemonSetController extends WorkloadController {
  constructor(options: DaemonSetControllerOptions) {
    super(options, 'daemonset-controller');
  }

  protected informers(): Watch[] {
    return [
      inform(this.store, DAEMON_SETS, (event) => {
        if (event.type !== 'DELETED') this.queue.add(objectKey(event.object));
      }),
      inform(this.store, 'pods', (event) => {
        this.enqueueController(event.object, 'DaemonSet');
      }),
      inform(this.store, 'nodes', () => {
        for (const ds of this.store.list(DAEMON_SETS).items) this.queue.add(objectKey(ds));
      }),
    ];
  }

  /** One reconcile of one DaemonSet. Public for tests. */
  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const ds = this.store.get(DAEMON_SETS, namespace, name) as DaemonSet | undefined;
    if (!ds || ds.metadata.deletionTimestamp) return;
    const hash = computePodTemplateHash(ds.spec.template ?? {});
    const revisions = syncRevision(this.store, ds, ds.spec.template, () => hash);
    const revisionHash = revisions.update.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? hash;
    const nodes = this.store.list('nodes').items as NodeView[];
    this.manage(ds, nodes, revisionHash);
    const pods = this.ownedPods(ds);
    this.writeStatus(ds, nodes, pods, revisionHash);
    const keep = new Set([revisions.update.metadata.name]);
    for (const pod of pods)
      keep.add(`${ds.metadata.name}-${pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]}`);
    truncateHistory(this.store, revisions.all, keep, ds.spec.revisionHistoryLimit ?? 10);
  }

  private ownedPods(ds: DaemonSet): Pod[] {
    const { items } = this.store.list('pods', { namespace: ds.metadata.namespace });
    return (items as Pod[]).filter((pod) => controllerOf(pod)?.uid === ds.metadata.uid);
  }

  private podsByNode(ds: DaemonSet): Map<string, Pod[]> {
    const byNode = new Map<string, Pod[]>();
    for (const pod of this.ownedPods(ds)) {
      const node = pod.spec.nodeName ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    return byNode;
  }

  private manage(ds: DaemonSet, nodes: NodeView[], hash: string): void {
    const byNode = this.podsByNode(ds);
    const minReady = ds.spec.minReadySeconds ?? 0;
    const now = this.clock.now();
    let unavailable = 0;
    const oldAvailable: Pod[] = [];
    const eligible = nodes.filter((node) => shouldRunOn(ds.spec.template, node));
    for (const node of nodes) {
      const pods = (byNode.get(node.metadata.name) ?? []).filter((p) => !p.metadata.deletionTimestamp);
      if (!eligible.includes(node)) {
        for (const pod of pods) this.remove(ds, pod);
        continue;
      }
      const live: Pod[] = [];
      for (const pod of pods) {
        // a failed daemon pod is deleted and replaced
        if (pod.status?.phase === 'Failed') this.remove(ds, pod);
        else live.push(pod);
      }
      if (live.length === 0) {
        // a pod still terminating here keeps its node (ports, volumes) until it is gone
        if ((byNode.get(node.metadata.name) ?? []).length === 0) this.create(ds, node.metadata.name, hash);
        unavailable++;
        continue;
      }
      live.sort((a, b) =>
        String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)),
      );
      for (const extra of live.slice(1)) this.remove(ds, extra);
      const pod = live[0]!;
      const available = isPodAvailable(pod, minReady, now);
      if (!available) unavailable++;
      if (pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== hash) {
        // old pods that are not available go at once; available ones within the budget below
        if (!available) this.remove(ds, pod);
        else oldAvailable.push(pod);
      }
    }
    const strategy = ds.spec.updateStrategy;
    if (strategy?.type === 'OnDelete') return;
    const maxUnavailable = Math.max(
      1,
      scaledValue(strategy?.rollingUpdate?.maxUnavailable ?? 1, eligible.length, true),
    );
    for (const pod of oldAvailable) {
      if (unavailable >= maxUnavailable) break;
      this.remove(ds, pod);
      unavailable++;
    }
  }

  private create(ds: DaemonSet, nodeName: string, hash: string): void {
    const template = ds.spec.template ?? {};
    const generation =
      ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? String(ds.metadata.generation ?? 1);
    const spec = structuredClone(template.spec ?? {}) as Pod['spec'];
    spec.tolerations = withDaemonTolerations(spec.tolerations);
    // bound directly: the node affinity the controller sets, and the binding the scheduler would add
    spec.affinity = {
      ...(spec.affinity ?? {}),
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] } as never,
          ],
        },
      },
    };
    spec.nodeName = nodeName;
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${ds.metadata.name}-`,
        namespace: ds.metadata.namespace,
        labels: {
          ...(template.metadata?.labels ?? {}),
          [CONTROLLER_REVISION_HASH_LABEL]: hash,
          [TEMPLATE_GENERATION_LABEL]: generation,
        },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [controllerRefTo(ds)],
      },
      spec,
    };
    applyDefaults(pod, true);
    const created = this.store.create('pods', pod, { adopt: true });
    this.events.record({
      involved: ds,
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `Created pod: ${created.metadata.name}`,
    });
  }

  private remove(ds: DaemonSet, pod: Pod): void {
    deletePod(this.store, this.clock, pod.metadata.namespace, pod.metadata.name);
    this.events.record({
      involved: ds,
      type: 'Normal',
      reason: 'SuccessfulDelete',
      message: `Deleted pod: ${pod.metadata.name}`,
    });
  }

  private writeStatus(ds: DaemonSet, nodes: NodeView[], pods: Pod[], hash: string): void {
    const now = this.clock.now();
    const minReady = ds.spec.minReadySeconds ?? 0;
    const counts = { desired: 0, current: 0, misscheduled: 0, ready: 0, available: 0, updated: 0 };
    for (const node of nodes) {
      const onNode = pods.filter(
        (p) => p.spec.nodeName === node.metadata.name && !p.metadata.deletionTimestamp,
      );
      const should = shouldRunOn(ds.spec.template, node);
      if (!should) {
        if (onNode.length) counts.misscheduled++;
        continue;
      }
      counts.desired++;
      if (!onNode.length) continue;
      counts.current++;
      const pod = onNode[0]!;
      if (isPodReady(pod)) {
        counts.ready++;
        if (isPodAvailable(pod, minReady, now)) counts.available++;
      }
      if (pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) counts.updated++;
    }
    const status: Record<string, unknown> = {
      currentNumberScheduled: counts.current,
      desiredNumberScheduled: counts.desired,
      numberMisscheduled: counts.misscheduled,
      numberReady: counts.ready,
      observedGeneration: ds.metadata.generation ?? 1,
      ...(counts.updated ? { updatedNumberScheduled: counts.updated } : {}),
      ...(counts.available ? { numberAvailable: counts.available } : {}),
      ...(counts.desired - counts.available ? { numberUnavailable: counts.desired - counts.available } : {}),
    };
    const latest = (this.store.get(DAEMON_SETS, ds.metadata.namespace, ds.metadata.name) ?? ds) as DaemonSet;
    if (canonicalJson(status) === canonicalJson(latest.status ?? {})) return;
    this.store.update(DAEMON_SETS, { ...latest, metadata: { ...latest.metadata }, status }, { adopt: true });
    if (minReady > 0 && counts.ready > counts.available) this.queue.addAfter(objectKey(ds), minReady * 1000);
  }
}
