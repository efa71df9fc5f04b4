import type { Clock } from '../../../ports/clock.js';
import type { KubeObject, ObjectStore, OwnerReference, ResourceKey, Watch } from '../../store/index.js';
import { deleteObject, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, removeFinalizer } from '../delete-object.js';
import { inform } from '../informer.js';
import { OwnerIndex } from '../owner-index.js';
import { WorkQueue } from '../work-queue.js';

/** Resources whose objects may own or be owned, with the kind each stores. */
const RESOURCES: Record<string, { resource: ResourceKey; namespaced: boolean }> = {
  Pod: { resource: 'pods', namespaced: true },
  ReplicaSet: { resource: 'replicasets.apps', namespaced: true },
  Deployment: { resource: 'deployments.apps', namespaced: true },
  ConfigMap: { resource: 'configmaps', namespaced: true },
  Secret: { resource: 'secrets', namespaced: true },
  ServiceAccount: { resource: 'serviceaccounts', namespaced: true },
  Node: { resource: 'nodes', namespaced: false },
  Namespace: { resource: 'namespaces', namespaced: false },
};

/** Dependent resources the collector watches. */
const WATCHED: readonly ResourceKey[] = [
  'pods',
  'replicasets.apps',
  'deployments.apps',
  'configmaps',
  'secrets',
];

export interface GarbageCollectorOptions {
  readonly store: ObjectStore;
  readonly clock: Clock;
  readonly onError?: (key: string, error: unknown) => void;
}

type OwnerState = 'solid' | 'dangling' | 'waiting';

/**
 * kube-controller-manager's garbage collector. Objects whose owners (matched by uid) are all gone
 * are deleted (background propagation: a Deployment's ReplicaSets, then their pods, gracefully).
 * An owner being deleted in the foreground (`foregroundDeletion` finalizer) has its dependents
 * deleted first and loses the finalizer, and so disappears, once no blocking dependent remains.
 * An owner deleted with `orphan` has its dependents' references to it removed instead. Pods left
 * on a node that was deleted are removed (the pod GC controller's job).
 */
export class GarbageCollector {
  private readonly store: ObjectStore;
  private readonly clock: Clock;
  private readonly queue: WorkQueue;
  private readonly dependents = new OwnerIndex(false);
  private readonly watches: Watch[] = [];
  /** Pods whose node was deleted: removed whatever their state. */
  private readonly onLostNode = new Set<string>();

  constructor(options: GarbageCollectorOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.queue = new WorkQueue(options.clock, (key) => this.process(key), options.onError);
  }

  start(): void {
    for (const resource of WATCHED) {
      this.watches.push(
        inform(this.store, resource, (event) => {
          const object = event.object;
          const key = itemKey(resource, object);
          if (event.type === 'DELETED') {
            this.dependents.remove(key);
            // Its dependents may now be dangling, and a foreground owner may be unblocked.
            for (const dependent of this.dependents.keys(object.metadata.uid)) this.queue.add(dependent);
            for (const ref of object.metadata.ownerReferences ?? []) this.enqueueOwner(object, ref);
            return;
          }
          this.dependents.set(object, key);
          if (object.metadata.ownerReferences?.length || object.metadata.deletionTimestamp)
            this.queue.add(key);
        }),
      );
    }
    this.watches.push(
      inform(this.store, 'nodes', (event) => {
        if (event.type !== 'DELETED') return;
        for (const key of this.dependents.keys(event.object.metadata.uid)) this.queue.add(key);
        // The pod GC controller force-deletes pods bound to a node that no longer exists.
        const bound = this.store.list('pods', { filter: (p) => boundTo(p, event.object.metadata.name) });
        for (const pod of bound.items) {
          const key = itemKey('pods', pod);
          this.onLostNode.add(key);
          this.queue.add(key);
        }
      }),
    );
  }

  stop(): void {
    for (const watch of this.watches) watch.stop();
    this.watches.length = 0;
    this.queue.stop();
  }

  /** One pass over one object. Public for tests. */
  process(key: string): void {
    const { resource, namespace, name } = parseItemKey(key);
    const object = this.store.get(resource, namespace, name);
    if (!object) return;
    const finalizers = object.metadata.finalizers ?? [];
    if (this.onLostNode.delete(key) && resource === 'pods') {
      this.removeIfNodeGone(object);
      return;
    }
    if (object.metadata.deletionTimestamp) {
      if (finalizers.includes(ORPHAN_FINALIZER)) this.orphanDependents(resource, object);
      else if (finalizers.includes(FOREGROUND_FINALIZER)) this.deleteDependentsFirst(resource, object);
      else if (resource === 'pods') this.removeIfNodeGone(object);
      return;
    }
    const refs = object.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const states = refs.map((ref) => ({ ref, state: this.ownerState(object, ref) }));
    const solid = states.filter((s) => s.state === 'solid');
    const stale = states.filter((s) => s.state !== 'solid');
    if (solid.length > 0) {
      if (stale.length === 0) return;
      // Some owners remain: only drop the references to owners that are gone or going.
      const next = structuredClone(object);
      next.metadata.ownerReferences = solid.map((s) => s.ref);
      this.store.update(resource, next);
      return;
    }
    const waiting = states.some((s) => s.state === 'waiting');
    const hasDependents = this.dependents.keys(object.metadata.uid).length > 0;
    const policy =
      waiting && hasDependents
        ? 'Foreground'
        : finalizers.includes(ORPHAN_FINALIZER)
          ? 'Orphan'
          : finalizers.includes(FOREGROUND_FINALIZER)
            ? 'Foreground'
            : 'Background';
    deleteObject(this.store, this.clock, resource, namespace, name, { propagationPolicy: policy });
  }

  private ownerState(dependent: KubeObject, ref: OwnerReference): OwnerState {
    const target = RESOURCES[ref.kind];
    // An owner kind this cluster does not store cannot be checked: never delete on a guess.
    if (!target) return 'solid';
    const owner = this.store.get(
      target.resource,
      target.namespaced ? dependent.metadata.namespace : undefined,
      ref.name,
    );
    if (!owner || owner.metadata.uid !== ref.uid) return 'dangling';
    if (owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND_FINALIZER)) {
      return 'waiting';
    }
    return 'solid';
  }

  private liveDependents(
    owner: KubeObject,
  ): { resource: ResourceKey; object: KubeObject; ref: OwnerReference }[] {
    const out: { resource: ResourceKey; object: KubeObject; ref: OwnerReference }[] = [];
    for (const key of this.dependents.keys(owner.metadata.uid)) {
      const { resource, namespace, name } = parseItemKey(key);
      const object = this.store.get(resource, namespace, name);
      const ref = object?.metadata.ownerReferences?.find((r) => r.uid === owner.metadata.uid);
      if (object && ref) out.push({ resource, object, ref });
    }
    return out;
  }

  private deleteDependentsFirst(resource: ResourceKey, owner: KubeObject): void {
    const dependents = this.liveDependents(owner);
    const blocking = dependents.filter((d) => d.ref.blockOwnerDeletion === true);
    if (blocking.length === 0) {
      removeFinalizer(this.store, resource, owner, FOREGROUND_FINALIZER);
      return;
    }
    for (const dependent of blocking) {
      if (dependent.object.metadata.deletionTimestamp) continue;
      this.queue.add(itemKey(dependent.resource, dependent.object));
    }
  }

  private orphanDependents(resource: ResourceKey, owner: KubeObject): void {
    for (const dependent of this.liveDependents(owner)) {
      const next = structuredClone(dependent.object);
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter(
        (r) => r.uid !== owner.metadata.uid,
      );
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      this.store.update(dependent.resource, next);
    }
    removeFinalizer(this.store, resource, owner, ORPHAN_FINALIZER);
  }

  private removeIfNodeGone(pod: KubeObject): void {
    const nodeName = (pod as { spec?: { nodeName?: string } }).spec?.nodeName;
    if (!nodeName || this.store.get('nodes', undefined, nodeName)) return;
    if ((pod.metadata.finalizers ?? []).length > 0) return;
    this.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
  }

  private enqueueOwner(dependent: KubeObject, ref: OwnerReference): void {
    const target = RESOURCES[ref.kind];
    if (!target || !WATCHED.includes(target.resource)) return;
    const namespace = target.namespaced ? dependent.metadata.namespace : undefined;
    const owner = this.store.get(target.resource, namespace, ref.name);
    if (owner?.metadata.deletionTimestamp) this.queue.add(itemKey(target.resource, owner));
  }
}

function boundTo(pod: KubeObject, node: string): boolean {
  return (pod as { spec?: { nodeName?: string } }).spec?.nodeName === node;
}

function itemKey(resource: ResourceKey, object: KubeObject): string {
  return `${resource}|${object.metadata.namespace ?? ''}|${object.metadata.name}`;
}

function parseItemKey(key: string): { resource: ResourceKey; namespace: string | undefined; name: string } {
  const [resource = '', namespace = '', name = ''] = key.split('|');
  return { resource, namespace: namespace === '' ? undefined : namespace, name };
}
