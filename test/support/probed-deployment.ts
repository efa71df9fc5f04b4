import type { SimCluster } from '../../src/sim/cluster/index.js';
import { scenarioApi } from '../../src/sim/scenarios/api.js';
import { type DeploymentInput, deploymentObject } from '../../src/sim/scenarios/index.js';

/**
 * Creates a Deployment whose container has a readiness probe, as real apps have: only then do an
 * image's ready delay and a crash at start keep its pods from ever being Ready.
 */
export async function createWithProbe(
  cluster: SimCluster,
  namespace: string,
  input: DeploymentInput,
): Promise<void> {
  const object = deploymentObject(namespace, input) as {
    spec: { template: { spec: { containers: Record<string, unknown>[] } } };
  };
  object.spec.template.spec.containers[0]!.readinessProbe = { exec: { command: ['true'] }, periodSeconds: 1 };
  await scenarioApi(cluster.apiUrl).create(`/apis/apps/v1/namespaces/${namespace}/deployments`, object);
}
