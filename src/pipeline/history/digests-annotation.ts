/**
 * The digests a revision was verified to run, recorded by kubefresh on its ReplicaSet, so that a
 * later rollback can tell whether a moving tag still names what that revision ran after its pods
 * are gone. JSON `{"<container>": "sha256:…"}`.
 */
export const DIGESTS_ANNOTATION = 'kubefresh.io/digests';

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}$/;

/** The recorded digests by container; an unreadable or absent annotation reads as none. */
export function parseDigestsAnnotation(value: string | undefined): Record<string, string> {
  if (value === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const out: Record<string, string> = {};
    for (const [name, digest] of Object.entries(parsed)) {
      if (typeof digest === 'string' && DIGEST.test(digest)) out[name] = digest;
    }
    return out;
  } catch {
    return {};
  }
}

/** The annotation value for `digests`, keys sorted so equal records compare equal. */
export function formatDigestsAnnotation(digests: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(digests).sort(([a], [b]) => a.localeCompare(b))));
}
