import type { KubeObject, OwnerReference } from '../../store/index.js';
import type { PodSpec, ReplicaSet } from '../objects.js';

/** The tolerations the DefaultTolerationSeconds admission plugin adds to every pod. */
const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/**
 * A pod for `rs`, as the ReplicaSet controller asks the API server to create it: the template's
 * labels, annotations and spec, `generateName: <rs>-`, and the controller reference. The fields
 * admission adds on a real server (service account, priority, default tolerations, QoS class)
 * are filled in here, since the controller writes to the store directly.
 */
export function podFromTemplate(rs: ReplicaSet, owner: OwnerReference): KubeObject {
  const template = rs.spec.template ?? {};
  const spec = structuredClone(template.spec ?? {}) as PodSpec;
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.priority ??= 0;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  const tolerations = spec.tolerations ?? [];
  for (const toleration of DEFAULT_TOLERATIONS) {
    if (!tolerations.some((t) => t.key === toleration.key && t.effect === toleration.effect)) {
      tolerations.push({ ...toleration, operator: 'Exists' });
    }
  }
  spec.tolerations = tolerations;
  const metadata: KubeObject['metadata'] = {
    name: '',
    generateName: `${rs.metadata.name}-`,
    namespace: rs.metadata.namespace,
    labels: { ...(template.metadata?.labels ?? {}) },
    ownerReferences: [owner],
  };
  if (template.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec,
    status: { phase: 'Pending', qosClass: qosClass(spec) },
  };
}

/** `Guaranteed` when every container sets equal cpu and memory requests and limits, `BestEffort` when none sets any. */
export function qosClass(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = spec.containers ?? [];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const container of containers) {
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
    for (const resource of ['cpu', 'memory']) {
      const limit = limits[resource];
      const request = requests[resource] ?? limit;
      if (limit === undefined || request !== limit) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
