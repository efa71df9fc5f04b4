import { KubefreshError } from '../../errors/index.js';

/** The workload kinds `doctor TYPE/NAME` accepts. */
export type TargetKind = 'deployment' | 'statefulset' | 'daemonset' | 'pod';

/** What doctor looks at: a namespace (or all), optionally a label selector, or one object. */
export interface DoctorScope {
  /** The namespace; ignored with `allNamespaces`. */
  readonly namespace: string;
  readonly allNamespaces?: boolean;
  readonly labelSelector?: string;
  readonly target?: { readonly kind: TargetKind; readonly name: string };
}

const KIND_ALIASES: Readonly<Record<string, TargetKind>> = {
  deployment: 'deployment',
  deployments: 'deployment',
  deploy: 'deployment',
  'deployment.apps': 'deployment',
  statefulset: 'statefulset',
  statefulsets: 'statefulset',
  sts: 'statefulset',
  daemonset: 'daemonset',
  daemonsets: 'daemonset',
  ds: 'daemonset',
  pod: 'pod',
  pods: 'pod',
  po: 'pod',
};

/** Parses `deployment/web` (kubectl's spellings: `deploy/web`, `sts/db`, `po/x`). */
export function parseTarget(text: string): { kind: TargetKind; name: string } {
  const slash = text.indexOf('/');
  const kind = slash === -1 ? undefined : KIND_ALIASES[text.slice(0, slash).toLowerCase()];
  const name = slash === -1 ? '' : text.slice(slash + 1);
  if (kind === undefined || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    throw new KubefreshError('USAGE_INVALID_TARGET', `invalid workload "${text}": expected TYPE/NAME`, {
      hint: 'for example deployment/web, statefulset/db, daemonset/agent or pod/web-7d9c-x2x4z',
    });
  }
  return { kind, name };
}
