import type { PodObject, WorkloadObject } from '../../core/diagnose/index.js';
import { KubefreshError } from '../../errors/index.js';
import type { KubeClient } from '../../ports/kube.js';
import { buildHistory, type DeploymentHistory } from './revisions.js';

/** The Deployment, its ReplicaSets and its pods, read in three requests. */
export async function readDeployment(
  kube: KubeClient,
  namespace: string,
  name: string,
): Promise<{ deployment: WorkloadObject; replicaSets: WorkloadObject[]; pods: PodObject[] }> {
  let deployment: WorkloadObject;
  try {
    deployment = {
      kind: 'Deployment',
      ...((await kube.get('deployments', namespace, name)) as WorkloadObject),
    };
  } catch (error) {
    if ((error as { code?: string }).code === 'KUBE_NOT_FOUND') {
      throw new KubefreshError(
        'KUBE_NOT_FOUND',
        `deployments.apps "${name}" not found in namespace "${namespace}"`,
        {
          hint: `list them with: kubectl get deployments -n ${namespace}`,
          cause: error,
        },
      );
    }
    throw error;
  }
  const selector = (deployment.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)
    ?.selector?.matchLabels;
  const labelSelector =
    selector === undefined
      ? undefined
      : Object.entries(selector)
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
  const options = { namespace, ...(labelSelector ? { labelSelector } : {}) };
  const [replicaSets, pods] = await Promise.all([
    kube.list('replicasets', options),
    kube.list('pods', options),
  ]);
  return {
    deployment,
    replicaSets: replicaSets.items.map((rs) => ({ kind: 'ReplicaSet', ...(rs as WorkloadObject) })),
    pods: pods.items as PodObject[],
  };
}

/** `kubefresh history`'s data: every revision with its images, digests and change cause. */
export async function readHistory(
  kube: KubeClient,
  namespace: string,
  name: string,
): Promise<DeploymentHistory> {
  const { deployment, replicaSets, pods } = await readDeployment(kube, namespace, name);
  return buildHistory(deployment, replicaSets, pods);
}
