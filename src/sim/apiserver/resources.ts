import type { ResourceKey } from '../store/index.js';
import { WORKLOAD_KIND_RESOURCES } from './workload-kinds.js';

/** One served resource type: how discovery names it and where the store keeps it. */
export interface ResourceInfo {
  /** Plural name in URLs, e.g. `pods`. */
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  /** API group; `''` for core. */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  /** Store bucket; events.k8s.io events share core `events`. */
  readonly storeKey: ResourceKey;
  /** Subresources beyond the object itself: `status`, `scale`, `log`. */
  readonly subresources: readonly ('status' | 'scale' | 'log')[];
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function resource(
  info: Omit<ResourceInfo, 'shortNames' | 'categories' | 'subresources' | 'storeKey'> &
    Partial<Pick<ResourceInfo, 'shortNames' | 'categories' | 'subresources' | 'storeKey'>>,
): ResourceInfo {
  return {
    shortNames: [],
    categories: [],
    subresources: [],
    storeKey: info.group ? `${info.plural}.${info.group}` : info.plural,
    ...info,
  };
}

/** Everything the simulated API server serves, in discovery order. */
export const RESOURCES: readonly ResourceInfo[] = [
  resource({
    plural: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['cm'],
  }),
  resource({
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['ev'],
  }),
  resource({
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    group: '',
    version: 'v1',
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status'],
  }),
  resource({
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    group: '',
    version: 'v1',
    namespaced: false,
    shortNames: ['no'],
    subresources: ['status'],
  }),
  resource({
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'log'],
  }),
  resource({
    plural: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    group: '',
    version: 'v1',
    namespaced: true,
  }),
  resource({
    plural: 'serviceaccounts',
    singular: 'serviceaccount',
    kind: 'ServiceAccount',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['sa'],
  }),
  resource({
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  resource({
    plural: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  ...WORKLOAD_KIND_RESOURCES,
  resource({
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    group: 'events.k8s.io',
    version: 'v1',
    namespaced: true,
    shortNames: ['ev'],
    storeKey: 'events',
  }),
];

/** Group versions in the order `/apis` lists them (core is served under `/api`). */
export const GROUP_VERSIONS: readonly { group: string; version: string }[] = [
  { group: 'apps', version: 'v1' },
  { group: 'events.k8s.io', version: 'v1' },
];

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** `pods`, `deployments.apps`: how messages name a resource (`deployments.apps "web" not found`). */
export function qualifiedName(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}
