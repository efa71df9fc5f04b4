/**
 * The cluster as pipelines need it: list, get, patch, delete, watch and pod logs over plain JSON objects
 * (exactly what the API server sends, so core/ can read them without client types).
 * Implemented over HTTP by `adapters/kube` with the user's kubeconfig; the simulated cluster is
 * reached through the same adapter. Every failure is a `KUBE_*` KubefreshError.
 */

/** The resources kubefresh reads or writes. */
export type KubeResource =
  | 'pods'
  | 'deployments'
  | 'replicasets'
  | 'statefulsets'
  | 'daemonsets'
  | 'controllerrevisions'
  | 'nodes'
  | 'events'
  | 'secrets'
  | 'serviceaccounts'
  | 'configmaps'
  | 'namespaces';

/** A Kubernetes object as JSON. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

export interface ListOptions {
  /** A namespace; undefined lists across all namespaces (cluster-scoped resources ignore it). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface KubeList<T> {
  readonly items: T[];
  /** The list's resourceVersion, where a watch resumes. */
  readonly resourceVersion: string;
}

/** `strategic` merge (kubectl's default), JSON `merge` patch (RFC 7386) or JSON `json` patch (RFC 6902). */
export type PatchType = 'strategic' | 'merge' | 'json';

export type WatchEvent<T> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  /** The server forgot our position (410 Gone): a fresh list replaces everything seen so far. */
  | { readonly type: 'RESYNC'; readonly objects: readonly T[] };

export interface WatchOptions extends ListOptions {
  /** Where to start; default: a fresh list first (delivered as RESYNC). */
  readonly resourceVersion?: string;
  /** Stops the watch; the returned promise then resolves. */
  readonly signal?: AbortSignal;
}

export interface DeleteOptions {
  /** Delete only this incarnation: a pod recreated under the same name (StatefulSets) is left alone (409). */
  readonly uid?: string;
}

export interface LogOptions {
  readonly container?: string;
  /** The previous (terminated) instance of the container, as `kubectl logs --previous`. */
  readonly previous?: boolean;
  readonly tailLines?: number;
}

export interface KubeClient {
  /** The context in use and its API server URL (for messages). */
  readonly context: string;
  readonly server: string;
  /** The namespace of the context (or `default`). */
  readonly defaultNamespace: string;
  list<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options?: ListOptions,
  ): Promise<KubeList<T>>;
  get<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
  ): Promise<T>;
  patch<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    type: PatchType,
  ): Promise<T>;
  /**
   * Streams changes until `signal` aborts, resuming from the last resourceVersion when the
   * connection ends, and re-listing (RESYNC) after 410 Gone.
   */
  watch<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void,
  ): Promise<void>;
  /** Deletes one object (gracefully, as `kubectl delete`); resolves with what the server answered. */
  delete(
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): Promise<KubeObject>;
  podLogs(namespace: string, pod: string, options?: LogOptions): Promise<string>;
}
