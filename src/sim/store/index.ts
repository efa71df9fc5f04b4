/**
 * The simulated cluster's storage (its etcd). Kubernetes objects are plain JSON; each write bumps a
 * cluster-wide `resourceVersion`, which is how clients detect conflicts (409 on a stale version)
 * and resume watches (410 Gone when the version is older than the change log).
 */
export {
  type ListOptions,
  ObjectStore,
  type Page,
  type PageOptions,
  type Watch,
  type WatchOptions,
  type WriteOptions,
} from './object-store.js';
export { StoreError, type StoreFailure } from './store-error.js';
export type { KubeObject, ObjectMeta, OwnerReference, ResourceKey, WatchEvent } from './types.js';
