import { applyDefaults } from '../../apiserver/defaults.js';
import type { KubeObject, OwnerReference } from '../../store/index.js';
import type { ReplicaSet } from '../objects.js';

/**
 * A pod for `rs`, as the ReplicaSet controller asks the API server to create it: the template's
 * labels, annotations and spec, `generateName: <rs>-`, and the controller reference. The
 * controller writes to the store directly, so it applies the API server's create-time defaulting
 * and admission (service account, priority, default tolerations, phase, QoS class) itself.
 */
export function podFromTemplate(rs: ReplicaSet, owner: OwnerReference): KubeObject {
  const template = rs.spec.template ?? {};
  const metadata: KubeObject['metadata'] = {
    name: '',
    generateName: `${rs.metadata.name}-`,
    namespace: rs.metadata.namespace,
    labels: { ...(template.metadata?.labels ?? {}) },
    ownerReferences: [owner],
  };
  if (template.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: structuredClone(template.spec ?? {}),
  };
  applyDefaults(pod, true);
  return pod;
}
