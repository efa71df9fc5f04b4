import type { Clock } from '../../ports/clock.js';
import { apiTime } from '../clock.js';
import type { KubeObject, ObjectStore, ResourceKey } from '../store/index.js';
import { deletePod } from './pod-deletion.js';

/** The finalizer that makes the garbage collector delete dependents before their owner. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** The finalizer that makes the garbage collector release dependents (drop their owner refs). */
export const ORPHAN_FINALIZER = 'orphan';

/** `DeleteOptions.propagationPolicy`: what happens to the object's dependents. */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteObjectOptions {
  /** Default `Background`: delete now, the garbage collector deletes dependents afterwards. */
  readonly propagationPolicy?: PropagationPolicy | undefined;
  /** For pods: overrides `terminationGracePeriodSeconds`. */
  readonly gracePeriodSeconds?: number | undefined;
}

/**
 * Deletes an object with the API server's propagation semantics. `Background` removes it now (pods
 * gracefully, see `deletePod`); `Foreground` and `Orphan` set `deletionTimestamp` plus the
 * `foregroundDeletion` / `orphan` finalizer and leave the rest to the garbage collector. An object
 * that already has finalizers only gets its deletionTimestamp. Returns the object if it remains.
 */
export function deleteObject(
  store: ObjectStore,
  clock: Clock,
  resource: ResourceKey,
  namespace: string | undefined,
  name: string,
  options: DeleteObjectOptions = {},
): KubeObject | undefined {
  const object = store.get(resource, namespace, name);
  if (!object) return undefined;
  const policy = options.propagationPolicy ?? 'Background';
  const finalizers = object.metadata.finalizers ?? [];
  const wanted =
    policy === 'Foreground' ? FOREGROUND_FINALIZER : policy === 'Orphan' ? ORPHAN_FINALIZER : undefined;

  if (resource === 'pods') {
    if (wanted && !finalizers.includes(wanted)) {
      const marked = structuredClone(object);
      marked.metadata.finalizers = [...finalizers, wanted];
      store.update(resource, marked);
    }
    return deletePod(store, clock, namespace, name, { gracePeriodSeconds: options.gracePeriodSeconds });
  }
  if (!wanted && finalizers.length === 0) {
    store.delete(resource, namespace, name);
    return undefined;
  }
  const next = structuredClone(object);
  if (wanted && !finalizers.includes(wanted)) next.metadata.finalizers = [...finalizers, wanted];
  if (!next.metadata.deletionTimestamp) {
    next.metadata.deletionTimestamp = apiTime(clock.now());
    next.metadata.deletionGracePeriodSeconds = 0;
  }
  return store.update(resource, next);
}

/**
 * Removes one finalizer; when it was the last one on an object being deleted, the object goes
 * (the API server does this on the update that clears the last finalizer).
 */
export function removeFinalizer(
  store: ObjectStore,
  resource: ResourceKey,
  object: KubeObject,
  finalizer: string,
): KubeObject | undefined {
  const finalizers = object.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return object;
  const next = structuredClone(object);
  next.metadata.finalizers = finalizers.filter((f) => f !== finalizer);
  if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
  if (next.metadata.deletionTimestamp && !next.metadata.finalizers) {
    // A pod still terminating on its node stays until its kubelet removes it.
    const pod = resource === 'pods' && Boolean((object as { spec?: { nodeName?: string } }).spec?.nodeName);
    if (!pod || (next.metadata.deletionGracePeriodSeconds ?? 0) === 0) {
      store.delete(resource, object.metadata.namespace, object.metadata.name);
      return undefined;
    }
  }
  return store.update(resource, next);
}
