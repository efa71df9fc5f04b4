import type { KubeObject } from '../../../../src/sim/store/index.js';
import type { TestCluster } from './cluster.js';

/** A stored object read loosely: tests look at whatever fields they assert on. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary API fields
export type Loose = KubeObject & { spec: any; status?: any };

/** The Deployment's ReplicaSets, oldest revision first. */
export function replicaSets(c: TestCluster, deployment: string): Loose[] {
  return c
    .list('replicasets.apps')
    .filter((rs) => rs.metadata.ownerReferences?.[0]?.name === deployment)
    .sort((a, b) => Number(revision(a)) - Number(revision(b))) as Loose[];
}

export function revision(o: KubeObject): string | undefined {
  return o.metadata.annotations?.['deployment.kubernetes.io/revision'];
}

export function condition(
  o: KubeObject | undefined,
  type: string,
): { status: string; reason?: string; message?: string; lastUpdateTime?: string } | undefined {
  const conditions = (o as Loose | undefined)?.status?.conditions as { type: string }[] | undefined;
  return conditions?.find((c) => c.type === type) as never;
}

/** Pods not being deleted, optionally of one ReplicaSet. */
export function livePods(c: TestCluster, rsName?: string): Loose[] {
  return c
    .list('pods')
    .filter(
      (p) => !p.metadata.deletionTimestamp && (!rsName || p.metadata.ownerReferences?.[0]?.name === rsName),
    ) as Loose[];
}

/** Resolves once the Deployment's rollout is complete by `kubectl rollout status`'s rules. */
export function rolledOut(c: TestCluster, name: string): Promise<Loose> {
  return c.waitFor(`${name} rolled out`, () => {
    const d = c.get('deployments.apps', name) as Loose | undefined;
    if (!d) return undefined;
    const s = d.status ?? {};
    const done =
      (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) &&
      (s.updatedReplicas ?? 0) === d.spec.replicas &&
      (s.replicas ?? 0) === (s.updatedReplicas ?? 0) &&
      (s.availableReplicas ?? 0) === (s.updatedReplicas ?? 0) &&
      condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable';
    return done ? d : undefined;
  });
}

export function addNodes(c: TestCluster, count: number): void {
  for (let i = 1; i <= count; i++) c.node(`node-${i}`);
}

/** Sets the first container's image, as `kubectl set image` does. */
export function setImage(c: TestCluster, deployment: string, image: string): void {
  c.updateDeployment(deployment, (d) => {
    d.spec.template.spec.containers[0].image = image;
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
