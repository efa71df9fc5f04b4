import type { KubeObject, ObjectStore, ResourceKey, Watch, WatchEvent } from '../store/index.js';

/**
 * List-then-watch, as client-go informers do: every existing object is handed to `onEvent` as
 * `ADDED` (synchronously), then changes stream from the list's resourceVersion, so nothing is
 * missed between the two.
 */
export function inform(
  store: ObjectStore,
  resource: ResourceKey,
  onEvent: (event: WatchEvent) => void,
): Watch {
  const { items, resourceVersion } = store.list(resource);
  for (const object of items) onEvent({ type: 'ADDED', object: object as KubeObject });
  return store.watch(resource, { resourceVersion }, onEvent);
}
