import type { SimCluster } from '../cluster/index.js';
import type { ExpectedDeployment } from './types.js';
import { podsOf, waitUntil } from './wait.js';

// biome-ignore lint/suspicious/noExplicitAny: status JSON is read field by field
type Any = any;

/**
 * How the cluster differs from `expected` right now, read from the store: one line per mismatch,
 * empty when every expectation holds. What `demo` waits for, and what tests assert before asking
 * kubectl the same questions.
 */
export function mismatches(
  cluster: SimCluster,
  namespace: string,
  expected: readonly ExpectedDeployment[],
): string[] {
  const out: string[] = [];
  const events = cluster.store.list('events', { namespace }).items as Any[];
  for (const deployment of expected) {
    const pods = podsOf(cluster.store, namespace, deployment.name) as Any[];
    const where =
      (nodes: readonly string[] | undefined, image: string | undefined) =>
      (p: Any): boolean =>
        (nodes === undefined || nodes.includes(p.spec?.nodeName)) &&
        (image === undefined || p.spec?.containers?.[0]?.image === image);
    for (const want of deployment.running ?? []) {
      const matching = pods.filter(where(want.nodes, want.image));
      if (matching.length === 0)
        out.push(`${deployment.name}: no pods on ${want.nodes?.join(', ') ?? 'any node'}`);
      for (const pod of matching) {
        const status = pod.status?.containerStatuses?.[0];
        if (!status?.state?.running || !String(status.imageID ?? '').endsWith(want.digest)) {
          out.push(
            `${deployment.name}: pod ${pod.metadata.name} on ${pod.spec?.nodeName} is not running ${want.digest} (${JSON.stringify(status?.state ?? {})}, imageID ${status?.imageID ?? '-'})`,
          );
        }
      }
    }
    for (const want of deployment.waiting ?? []) {
      const matching = pods.filter(where(want.nodes, want.image));
      if (matching.length === 0)
        out.push(`${deployment.name}: no pods on ${want.nodes?.join(', ') ?? 'any node'}`);
      for (const pod of matching) {
        const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
        const podEvents = events.filter((e) => e.involvedObject?.name === pod.metadata.name);
        const said =
          String(waiting?.message ?? '').includes(want.message) ||
          podEvents.some((e) => String(e.message).includes(want.message));
        if (!waiting || !want.reasons.includes(waiting.reason) || !said) {
          out.push(
            `${deployment.name}: pod ${pod.metadata.name} on ${pod.spec?.nodeName} is not waiting with ${want.reasons.join('/')} "${want.message}" (${JSON.stringify(waiting ?? pod.status?.containerStatuses?.[0]?.state ?? {})})`,
          );
        }
      }
    }
    if (deployment.previousLogs !== undefined) {
      const crashed = pods.filter((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0);
      const logged = crashed.some((p) => {
        const text = cluster.kubelets.logSource(namespace, p.metadata.name, undefined, { previous: true });
        return typeof text === 'string' && text.includes(deployment.previousLogs!);
      });
      if (!logged) out.push(`${deployment.name}: no restarted pod logged "${deployment.previousLogs}"`);
    }
    if (deployment.revisions !== undefined) {
      const revisions = (cluster.store.list('replicasets.apps', { namespace }).items as Any[])
        .filter((rs) => rs.metadata.ownerReferences?.some((o: Any) => o.name === deployment.name))
        .map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision']))
        .sort((a, b) => a - b);
      if (JSON.stringify(revisions) !== JSON.stringify(deployment.revisions)) {
        out.push(
          `${deployment.name}: revisions ${revisions.join(',')} instead of ${deployment.revisions.join(',')}`,
        );
      }
    }
  }
  return out;
}

/** Waits until {@link mismatches} is empty; the error lists what still differs. */
export async function waitForExpected(
  cluster: SimCluster,
  namespace: string,
  expected: readonly ExpectedDeployment[],
  timeoutMs = 20_000,
): Promise<void> {
  let last: string[] = [];
  try {
    await waitUntil(
      `scenario outcome in ${namespace}`,
      () => {
        last = mismatches(cluster, namespace, expected);
        return last.length === 0;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}:\n  ${last.join('\n  ')}`);
  }
}
