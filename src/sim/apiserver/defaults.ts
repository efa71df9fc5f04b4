import { defaultPullPolicy } from '../../core/pull-policy/index.js';
import type { KubeObject } from '../store/index.js';
import { type Obj, obj, setDefault } from './object-fields.js';
import { applyWorkloadKindDefaults } from './workload-kinds.js';

// The pull policy stored on create is core's defaulting (semantics §1), shared with lint and ref.
export { defaultPullPolicy };

function defaultContainer(container: Obj): void {
  if (typeof container.image === 'string')
    setDefault(container, 'imagePullPolicy', defaultPullPolicy(container.image));
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  if (container.resources === undefined) container.resources = {};
  for (const port of (container.ports as Obj[] | undefined) ?? []) setDefault(port, 'protocol', 'TCP');
  for (const env of (container.env as Obj[] | undefined) ?? []) {
    const fieldRef = (env.valueFrom as Obj | undefined)?.fieldRef as Obj | undefined;
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
}

/** Defaults of a PodSpec, for pods and for pod templates alike (k/k `SetDefaults_PodSpec`). */
export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  if (spec.securityContext === undefined) spec.securityContext = {};
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const key of ['containers', 'initContainers'] as const) {
    for (const c of (spec[key] as Obj[] | undefined) ?? []) defaultContainer(c);
  }
  for (const volume of (spec.volumes as Obj[] | undefined) ?? []) {
    for (const source of ['configMap', 'secret'] as const) {
      const v = volume[source] as Obj | undefined;
      if (v) setDefault(v, 'defaultMode', 420);
    }
  }
}

/** QoS class from requests/limits, as the API server records it in `status.qosClass`. */
function qosClass(spec: Obj): string {
  const containers = [...((spec.containers as Obj[]) ?? []), ...((spec.initContainers as Obj[]) ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const resources = (c.resources ?? {}) as { requests?: Obj; limits?: Obj };
    const requests = resources.requests ?? {};
    const limits = resources.limits ?? {};
    if (Object.keys(requests).length || Object.keys(limits).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (limits[r] === undefined || (requests[r] !== undefined && requests[r] !== limits[r]))
        guaranteed = false;
    }
  }
  return guaranteed ? 'Guaranteed' : any ? 'Burstable' : 'BestEffort';
}

/** Fields admission plugins add to new pods (ServiceAccount, DefaultTolerationSeconds, Priority). */
function admitPod(pod: KubeObject): void {
  const spec = obj(pod, 'spec');
  setDefault(spec, 'serviceAccountName', 'default');
  spec.serviceAccount = spec.serviceAccountName;
  setDefault(spec, 'enableServiceLinks', true);
  setDefault(spec, 'priority', 0);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  const tolerations = ((spec.tolerations as Obj[] | undefined) ?? []).slice();
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => t.key === key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tolerations;
  const status = obj(pod, 'status');
  setDefault(status, 'phase', 'Pending');
  setDefault(status, 'qosClass', qosClass(spec));
}

function defaultTemplate(owner: Obj): void {
  const template = obj(owner, 'template');
  // clients send the zero time as `creationTimestamp: null`; keep templates in one canonical form
  const meta = template.metadata as Obj | undefined;
  if (meta && meta.creationTimestamp === null) delete meta.creationTimestamp;
  defaultPodSpec(obj(template, 'spec'));
}

/**
 * Applies the real server's defaulting to `object` in place. It is idempotent and runs on every
 * write, so a template edited later gets defaults too; `creating` adds what admission adds once.
 */
export function applyDefaults(object: KubeObject, creating: boolean): void {
  switch (object.kind) {
    case 'Pod':
      defaultPodSpec(obj(object, 'spec'));
      if (creating) admitPod(object);
      break;
    case 'Deployment': {
      const spec = obj(object, 'spec');
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      const strategy = obj(spec, 'strategy');
      setDefault(strategy, 'type', 'RollingUpdate');
      if (strategy.type === 'RollingUpdate') {
        const rolling = obj(strategy, 'rollingUpdate');
        setDefault(rolling, 'maxUnavailable', '25%');
        setDefault(rolling, 'maxSurge', '25%');
      }
      defaultTemplate(spec);
      if (object.status === undefined) object.status = {};
      break;
    }
    case 'ReplicaSet': {
      const spec = obj(object, 'spec');
      setDefault(spec, 'replicas', 1);
      defaultTemplate(spec);
      if (object.status === undefined) object.status = { replicas: 0 };
      break;
    }
    case 'StatefulSet':
    case 'DaemonSet':
      applyWorkloadKindDefaults(object, creating);
      defaultTemplate(obj(object, 'spec'));
      break;
    case 'Namespace': {
      const labels = obj(object.metadata, 'labels') as Record<string, string>;
      labels['kubernetes.io/metadata.name'] = object.metadata.name;
      const spec = obj(object, 'spec');
      setDefault(spec, 'finalizers', ['kubernetes']);
      const status = obj(object, 'status');
      setDefault(status, 'phase', 'Active');
      break;
    }
    case 'Secret':
      setDefault(object, 'type', 'Opaque');
      break;
  }
}
