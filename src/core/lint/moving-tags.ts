/**
 * Tags that name a different image over time. `latest` (or no tag at all) is the famous one; branch
 * and channel names (`main`, `stable`, `nightly`, …) and floating versions (`1`, `1.2`, `v1`, `v1.2`,
 * which follow the newest patch release) move just the same.
 */
export const DEFAULT_MOVING_TAGS: readonly string[] = [
  'main',
  'master',
  'dev',
  'develop',
  'development',
  'edge',
  'stable',
  'nightly',
  'canary',
  'snapshot',
  'release',
  'current',
  'beta',
  'alpha',
  'test',
  'testing',
  'staging',
  'prod',
  'production',
  'head',
  'trunk',
  'unstable',
  'rolling',
];

/** `latest`: no tag or the tag `latest`; `moving`: a listed tag; `floating`: `1`, `1.2`, `v1`, `v1.2`; `fixed`: anything else. */
export type TagClass = 'latest' | 'moving' | 'floating' | 'fixed';

const FLOATING_VERSION = /^v?\d+(?:\.\d+)?$/;

/**
 * Classifies the tag of an image without a digest. `tag` undefined means no tag (so `latest`).
 * Listed tags match case-insensitively, as people write `Main` and `MAIN` for the same branch.
 */
export function classifyTag(tag: string | undefined, movingTags: ReadonlySet<string>): TagClass {
  if (tag === undefined || tag === 'latest') return 'latest';
  const lower = tag.toLowerCase();
  if (movingTags.has(lower) || lower === 'latest') return 'moving';
  if (FLOATING_VERSION.test(tag)) return 'floating';
  return 'fixed';
}
