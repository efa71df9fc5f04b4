import type { KubeObject } from '../store/index.js';
import { objectKey } from './objects.js';

/**
 * Object keys by owner uid, kept from watch events so a controller finds a ReplicaSet's pods
 * without scanning every pod. Entries can be stale for a moment (an event not yet delivered), so
 * readers re-check each object in the store, which is always current.
 */
export class OwnerIndex {
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly ownersOf = new Map<string, string[]>();

  constructor(private readonly controllersOnly = false) {}

  /** Records `object` under its current owners (replacing what was recorded for its key). */
  set(object: KubeObject, key: string = objectKey(object)): void {
    const refs = object.metadata.ownerReferences;
    const previous1 = this.ownersOf.get(key);
    // Fast path for the common case (one owner, unchanged): pod status updates arrive by the thousand.
    if (refs?.length === 1 && previous1?.length === 1 && previous1[0] === refs[0]!.uid) {
      if (!this.controllersOnly || refs[0]!.controller === true) return;
    }
    const owners = (object.metadata.ownerReferences ?? [])
      .filter((ref) => !this.controllersOnly || ref.controller === true)
      .map((ref) => ref.uid);
    const previous = this.ownersOf.get(key);
    if (previous && previous.length === owners.length && previous.every((uid, i) => uid === owners[i]))
      return;
    this.remove(key);
    if (owners.length === 0) return;
    this.ownersOf.set(key, owners);
    for (const uid of owners) {
      let keys = this.byOwner.get(uid);
      if (!keys) {
        keys = new Set();
        this.byOwner.set(uid, keys);
      }
      keys.add(key);
    }
  }

  remove(key: string): void {
    const owners = this.ownersOf.get(key);
    if (!owners) return;
    this.ownersOf.delete(key);
    for (const uid of owners) {
      const keys = this.byOwner.get(uid);
      keys?.delete(key);
      if (keys?.size === 0) this.byOwner.delete(uid);
    }
  }

  /** Keys recorded under `ownerUid` (a copy, safe to iterate while the index changes). */
  keys(ownerUid: string | undefined): string[] {
    if (!ownerUid) return [];
    return [...(this.byOwner.get(ownerUid) ?? [])];
  }
}
