import type { KubeClient } from '../../ports/kube.js';
import { DIGESTS_ANNOTATION, formatDigestsAnnotation } from './digests-annotation.js';

/**
 * Records on a ReplicaSet the digests its pods were verified to run (a merge patch of one
 * annotation). Best effort: a revision that cannot be annotated (RBAC) is still rolled out, so a
 * failure here is returned as text for a warning, never thrown.
 */
export async function recordRevisionDigests(
  kube: KubeClient,
  namespace: string,
  replicaSet: string,
  podTemplateHash: string,
  digests: Readonly<Record<string, string>>,
): Promise<string | undefined> {
  if (Object.keys(digests).length === 0) return undefined;
  try {
    await kube.patch(
      'replicasets',
      namespace,
      replicaSet,
      {
        metadata: {
          annotations: { [DIGESTS_ANNOTATION]: formatDigestsAnnotation(podTemplateHash, digests) },
        },
      },
      'merge',
    );
    return undefined;
  } catch (error) {
    return `could not record the verified digests on replicaset ${replicaSet}: ${(error as Error).message}`;
  }
}
