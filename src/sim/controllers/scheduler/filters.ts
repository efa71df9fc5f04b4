import type { KubeObject } from '../../store/index.js';
import { findCondition, matchesExpression, type Pod, type Toleration } from '../objects.js';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface NodeView extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: { conditions?: { type: string; status: string }[] };
}

/** The scheduler's reasons for rejecting a node, in the wording `FailedScheduling` events use. */
export const REJECTION = {
  unschedulable: 'node(s) were unschedulable',
  selector: "node(s) didn't match Pod's node affinity/selector",
  taint: (taint: Taint) => `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`,
} as const;

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
const NOT_READY_TAINT: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

/**
 * Why `pod` cannot run on `node`, or undefined if it can. Checks run in the default profile's
 * plugin order and stop at the first failure (NodeUnschedulable, TaintToleration, NodeAffinity),
 * as the real scheduler reports one reason per node. A node whose Ready condition is not True is
 * treated as carrying the `not-ready` taint the node lifecycle controller would add.
 */
export function rejectionReason(pod: Pod, node: NodeView): string | undefined {
  const tolerations = pod.spec.tolerations ?? [];
  if (node.spec?.unschedulable && !tolerates(tolerations, UNSCHEDULABLE_TAINT))
    return REJECTION.unschedulable;
  const taints = [...(node.spec?.taints ?? [])];
  const ready = findCondition(node.status?.conditions as never, 'Ready');
  if (ready && ready.status !== 'True' && !taints.some((t) => t.key === NOT_READY_TAINT.key)) {
    taints.push(NOT_READY_TAINT);
  }
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerates(tolerations, taint)) return REJECTION.taint(taint);
  }
  if (!matchesNodeSelection(pod, node.metadata.labels ?? {})) return REJECTION.selector;
  return undefined;
}

export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((toleration) => {
    if (toleration.effect && toleration.effect !== taint.effect) return false;
    const operator = toleration.operator ?? 'Equal';
    if (!toleration.key) return operator === 'Exists';
    if (toleration.key !== taint.key) return false;
    return operator === 'Exists' || (toleration.value ?? '') === (taint.value ?? '');
  });
}

/** `spec.nodeSelector` and required node affinity (any term's expressions all hold). */
function matchesNodeSelection(pod: Pod, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (labels[key] !== value) return false;
  }
  const terms =
    pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  return terms.some((term) => (term.matchExpressions ?? []).every((expr) => matchesExpression(labels, expr)));
}

/**
 * The `FailedScheduling` message: `0/3 nodes are available: 1 node(s) didn't match Pod's node
 * affinity/selector, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3
 * Preemption is not helpful for scheduling.` Reasons are "count reason" strings sorted as text.
 */
export function failedSchedulingMessage(nodeCount: number, reasons: Map<string, number>): string {
  if (nodeCount === 0) return 'no nodes available to schedule pods';
  const histogram = [...reasons].map(([reason, count]) => `${count} ${reason}`).sort();
  return (
    `0/${nodeCount} nodes are available: ${histogram.join(', ')}. ` +
    `preemption: 0/${nodeCount} nodes are available: ${nodeCount} Preemption is not helpful for scheduling.`
  );
}
