import type { Clock } from '../../ports/clock.js';
import { apiTime } from '../clock.js';
import type { KubeObject, ObjectStore } from '../store/index.js';
import type { Pod } from './objects.js';

/** The pod spec default for `terminationGracePeriodSeconds`. */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

export interface DeletePodOptions {
  /** Overrides the pod's `terminationGracePeriodSeconds`; 0 removes a bound pod at once (`--force`). */
  readonly gracePeriodSeconds?: number | undefined;
}

/**
 * Deletes a pod the way the API server does. A pod bound to a node is deleted gracefully: it gets
 * `deletionTimestamp` (now + grace period) and `deletionGracePeriodSeconds`, and its node's kubelet
 * removes it once its containers have stopped. An unbound or finished pod, or grace 0, is removed
 * at once; with finalizers it only gets a deletionTimestamp and stays until they are cleared.
 * Returns the pod as it is after the call (undefined when gone or never there).
 */
export function deletePod(
  store: ObjectStore,
  clock: Clock,
  namespace: string | undefined,
  name: string,
  options: DeletePodOptions = {},
): KubeObject | undefined {
  const pod = store.get('pods', namespace, name) as Pod | undefined;
  if (!pod) return undefined;
  const configured = pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
  let grace = options.gracePeriodSeconds ?? configured;
  const phase = pod.status?.phase;
  if (!pod.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
  const finalizers = pod.metadata.finalizers ?? [];

  if (pod.metadata.deletionTimestamp) {
    // Already terminating: a shorter grace period may still bring the deadline forward.
    const current = pod.metadata.deletionGracePeriodSeconds ?? configured;
    if (grace >= current) return pod;
    if (grace === 0 && finalizers.length === 0) {
      store.delete('pods', namespace, name);
      return undefined;
    }
    return markTerminating(store, clock, pod, grace);
  }
  if (grace === 0 && finalizers.length === 0) {
    store.delete('pods', namespace, name);
    return undefined;
  }
  return markTerminating(store, clock, pod, grace);
}

function markTerminating(store: ObjectStore, clock: Clock, pod: Pod, grace: number): KubeObject {
  const next = structuredClone(pod);
  next.metadata.deletionTimestamp = apiTime(clock.now() + grace * 1000);
  next.metadata.deletionGracePeriodSeconds = grace;
  return store.update('pods', next);
}
