import type { KubeObject, ObjectStore } from '../store/index.js';

// biome-ignore lint/suspicious/noExplicitAny: status JSON is read field by field
type Any = any;

/** Polls (real time) until `check` returns a value; throws naming `what` after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `kubectl rollout status`'s "successfully rolled out", read from the store. */
export function rolledOut(store: ObjectStore, namespace: string, name: string): boolean {
  const d = store.get('deployments.apps', namespace, name) as Any;
  if (!d) return false;
  const s = d.status ?? {};
  const replicas = d.spec.replicas ?? 1;
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) &&
    (s.updatedReplicas ?? 0) === replicas &&
    (s.replicas ?? 0) === replicas &&
    (s.availableReplicas ?? 0) === replicas
  );
}

/** Waits until a Deployment has rolled out completely. */
export function waitForRollout(store: ObjectStore, namespace: string, name: string, timeoutMs?: number) {
  return waitUntil(
    `deployment ${namespace}/${name} to roll out`,
    () => rolledOut(store, namespace, name),
    timeoutMs,
  );
}

/** Pods of a Deployment (by its selector's `app` label), not being deleted. */
export function podsOf(store: ObjectStore, namespace: string, deployment: string): KubeObject[] {
  const d = store.get('deployments.apps', namespace, deployment) as Any;
  const labels: Record<string, string> = d?.spec?.selector?.matchLabels ?? { app: deployment };
  return store
    .list('pods', { namespace })
    .items.filter(
      (p) =>
        !p.metadata.deletionTimestamp &&
        Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v),
    );
}
