import { KubefreshError } from '../../errors/index.js';
import { TAG } from '../image-ref/grammar.js';

/** How `deploy` names what it pushes when `--tag` is not given. */
export type TagStrategy = 'git' | 'timestamp' | 'content';

export const TAG_STRATEGIES: readonly TagStrategy[] = ['git', 'timestamp', 'content'];

/** What each strategy needs; the pipeline gathers it (git, the clock, the image's digest). */
export type TagInput =
  | { readonly strategy: 'git'; readonly commit: string; readonly dirty: boolean }
  | { readonly strategy: 'timestamp'; readonly now: number }
  | { readonly strategy: 'content'; readonly digest: string };

/** Hex digits kept from a commit, as `git rev-parse --short` prints by default. */
export const GIT_SHORT_LENGTH = 7;
/** Hex digits kept from a content digest: enough to be unique in one repository. */
export const CONTENT_SHORT_LENGTH = 12;

/**
 * A tag for the image: `a1b2c3d` or `a1b2c3d-dirty` (git; the tree had uncommitted changes),
 * `20250102-150405` (UTC, seconds), or `sha256-0123456789ab` (the image's content digest).
 * Unique tags keep rollbacks honest: an old revision's tag never moves to new code.
 */
export function tagFor(input: TagInput): string {
  switch (input.strategy) {
    case 'git': {
      if (!/^[0-9a-f]{7,64}$/.test(input.commit)) {
        throw new KubefreshError(
          'BUILD_GIT_COMMIT',
          `expected a git commit id in hex, got "${input.commit}"`,
          {
            hint: 'run kubefresh inside a git work tree with at least one commit, or use --tag-strategy timestamp',
          },
        );
      }
      return `${input.commit.slice(0, GIT_SHORT_LENGTH)}${input.dirty ? '-dirty' : ''}`;
    }
    case 'timestamp': {
      const iso = new Date(input.now).toISOString(); // 2025-01-02T15:04:05.000Z
      return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
    }
    case 'content': {
      const match = /^sha256:([0-9a-f]{64})$/.exec(input.digest);
      if (!match) {
        throw new KubefreshError('BUILD_CONTENT_DIGEST', `expected a sha256 digest, got "${input.digest}"`);
      }
      return `sha256-${match[1]!.slice(0, CONTENT_SHORT_LENGTH)}`;
    }
  }
}

/** Checks a `--tag` value against the reference grammar; throws a usage error quoting it. */
export function validateTag(tag: string): string {
  if (!TAG.test(tag)) {
    throw new KubefreshError(
      'USAGE_INVALID_TAG',
      `"${tag}" is not a valid tag: expected up to 128 letters, digits, "_", "." or "-", not starting with "." or "-"`,
      { hint: 'for example --tag v1.4.2 or --tag 2025-01-02.1' },
    );
  }
  return tag;
}

/** Reads `--tag-strategy`; throws a usage error naming the choices. */
export function parseTagStrategy(text: string): TagStrategy {
  if ((TAG_STRATEGIES as readonly string[]).includes(text)) return text as TagStrategy;
  throw new KubefreshError(
    'USAGE_TAG_STRATEGY',
    `unknown tag strategy "${text}": expected one of ${TAG_STRATEGIES.join(', ')}`,
  );
}
