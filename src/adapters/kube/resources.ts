import type { KubeResource } from '../../ports/kube.js';

interface ResourcePath {
  readonly prefix: string;
  readonly namespaced: boolean;
  /** The kind, for messages (`deployments.apps "web" not found` comes from the server). */
  readonly kind: string;
}

/** Where each resource lives in the API. */
export const RESOURCE_PATHS: Readonly<Record<KubeResource, ResourcePath>> = {
  pods: { prefix: '/api/v1', namespaced: true, kind: 'Pod' },
  nodes: { prefix: '/api/v1', namespaced: false, kind: 'Node' },
  events: { prefix: '/api/v1', namespaced: true, kind: 'Event' },
  secrets: { prefix: '/api/v1', namespaced: true, kind: 'Secret' },
  serviceaccounts: { prefix: '/api/v1', namespaced: true, kind: 'ServiceAccount' },
  configmaps: { prefix: '/api/v1', namespaced: true, kind: 'ConfigMap' },
  namespaces: { prefix: '/api/v1', namespaced: false, kind: 'Namespace' },
  deployments: { prefix: '/apis/apps/v1', namespaced: true, kind: 'Deployment' },
  replicasets: { prefix: '/apis/apps/v1', namespaced: true, kind: 'ReplicaSet' },
  statefulsets: { prefix: '/apis/apps/v1', namespaced: true, kind: 'StatefulSet' },
  daemonsets: { prefix: '/apis/apps/v1', namespaced: true, kind: 'DaemonSet' },
  controllerrevisions: { prefix: '/apis/apps/v1', namespaced: true, kind: 'ControllerRevision' },
};

/** `/apis/apps/v1/namespaces/ns/deployments[/name]`, or across namespaces when `namespace` is undefined. */
export function resourcePath(resource: KubeResource, namespace: string | undefined, name?: string): string {
  const info = RESOURCE_PATHS[resource];
  const scope =
    info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${info.prefix}${scope}/${resource}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
