import type { KubeObject, ObjectStore, ResourceKey } from '../store/index.js';
import { controllerOf, controllerRefTo, type LabelSelector, matchesSelector, splitKey } from './objects.js';

/**
 * Objects without a controller, by namespace, kept from watch events: the candidates a controller
 * may adopt (the real `ClaimPods` / `ClaimReplicaSets`). Usually empty, so checking it on every
 * sync costs nothing.
 */
export class Orphans {
  private readonly keys = new Set<string>();

  /** Records or forgets `key` by whether `object` is an adoptable orphan now; true if it is. */
  track(key: string, object: KubeObject | undefined): boolean {
    if (object && !controllerOf(object) && !object.metadata.deletionTimestamp) {
      this.keys.add(key);
      return true;
    }
    this.keys.delete(key);
    return false;
  }

  /** Adopts every orphan in `owner`'s namespace whose labels match `selector`; returns the adopted. */
  adopt(store: ObjectStore, resource: ResourceKey, owner: KubeObject, selector: LabelSelector): KubeObject[] {
    if (this.keys.size === 0 || owner.metadata.deletionTimestamp) return [];
    const adopted: KubeObject[] = [];
    for (const key of this.keys) {
      const { namespace, name } = splitKey(key);
      if (namespace !== owner.metadata.namespace) continue;
      const object = store.get(resource, namespace, name);
      if (!this.track(key, object) || !object) continue;
      if (!matchesSelector(object.metadata.labels, selector)) continue;
      const next = structuredClone(object);
      next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []), controllerRefTo(owner)];
      adopted.push(store.update(resource, next));
      this.keys.delete(key);
    }
    return adopted;
  }
}

/** Drops `ownerUid`'s reference from `object` (its labels no longer match the owner's selector). */
export function release(
  store: ObjectStore,
  resource: ResourceKey,
  object: KubeObject,
  ownerUid: string,
): KubeObject {
  const next = structuredClone(object);
  next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== ownerUid);
  if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
  return store.update(resource, next);
}
