/**
 * The digests a revision was verified to run, recorded by kubefresh on its ReplicaSet, so that a
 * later rollback can tell whether a moving tag still names what that revision ran after its pods
 * are gone: `{"podTemplateHash":"<hash>","containers":{"<container>":"sha256:…"}}`.
 *
 * The hash ties the record to its ReplicaSet: `kubectl rollout undo` copies a ReplicaSet's
 * annotations onto the Deployment, and the deployment controller copies those onto the next
 * ReplicaSet, so a record found on a ReplicaSet with another hash is someone else's and is ignored.
 */
export const DIGESTS_ANNOTATION = 'kubefresh.io/digests';

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}$/;

/**
 * The recorded digests by container, when the record belongs to `podTemplateHash`; an unreadable,
 * foreign or absent annotation reads as none.
 */
export function parseDigestsAnnotation(
  value: string | undefined,
  podTemplateHash: string | undefined,
): Record<string, string> {
  if (value === undefined || podTemplateHash === undefined) return {};
  try {
    const parsed = JSON.parse(value) as { podTemplateHash?: unknown; containers?: unknown } | null;
    if (parsed === null || typeof parsed !== 'object' || parsed.podTemplateHash !== podTemplateHash)
      return {};
    const containers = parsed.containers;
    if (containers === null || typeof containers !== 'object' || Array.isArray(containers)) return {};
    const out: Record<string, string> = {};
    for (const [name, digest] of Object.entries(containers)) {
      if (typeof digest === 'string' && DIGEST.test(digest)) out[name] = digest;
    }
    return out;
  } catch {
    return {};
  }
}

/** The annotation value for `digests` of the ReplicaSet with `podTemplateHash` (keys sorted). */
export function formatDigestsAnnotation(
  podTemplateHash: string,
  digests: Readonly<Record<string, string>>,
): string {
  const containers = Object.fromEntries(Object.entries(digests).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({ podTemplateHash, containers });
}
