import { KubefreshError } from '../../errors/index.js';
import type { KubeResource } from '../../ports/kube.js';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

/** The workload a deploy, restart or rollback acts on. */
export interface WorkloadTarget {
  readonly kind: WorkloadKind;
  readonly resource: KubeResource & ('deployments' | 'statefulsets' | 'daemonsets');
  readonly namespace: string;
  readonly name: string;
}

const KINDS: Readonly<Record<string, { kind: WorkloadKind; resource: WorkloadTarget['resource'] }>> = {
  deployment: { kind: 'Deployment', resource: 'deployments' },
  deployments: { kind: 'Deployment', resource: 'deployments' },
  deploy: { kind: 'Deployment', resource: 'deployments' },
  'deployment.apps': { kind: 'Deployment', resource: 'deployments' },
  statefulset: { kind: 'StatefulSet', resource: 'statefulsets' },
  statefulsets: { kind: 'StatefulSet', resource: 'statefulsets' },
  sts: { kind: 'StatefulSet', resource: 'statefulsets' },
  'statefulset.apps': { kind: 'StatefulSet', resource: 'statefulsets' },
  daemonset: { kind: 'DaemonSet', resource: 'daemonsets' },
  daemonsets: { kind: 'DaemonSet', resource: 'daemonsets' },
  ds: { kind: 'DaemonSet', resource: 'daemonsets' },
  'daemonset.apps': { kind: 'DaemonSet', resource: 'daemonsets' },
};

/** `deployment/web` (also `deploy/`, `sts/`, `ds/`, kubectl's short names) → a target in `namespace`. */
export function parseWorkloadTarget(text: string, namespace: string): WorkloadTarget {
  const slash = text.indexOf('/');
  const kind = KINDS[text.slice(0, slash).toLowerCase()];
  const name = text.slice(slash + 1);
  if (slash < 0 || kind === undefined || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    throw new KubefreshError(
      'USAGE_INVALID_TARGET',
      `expected deployment/NAME, statefulset/NAME or daemonset/NAME, got "${text}"`,
      { hint: 'for example: kubefresh deploy deployment/web --image registry.local:5000/web' },
    );
  }
  return { ...kind, namespace, name };
}

/** `deployment/web` as kubectl writes it. */
export function targetText(target: WorkloadTarget): string {
  return `${target.kind.toLowerCase()}/${target.name}`;
}
