/**
 * Unique tags for what `deploy` pushes. A tag that is reused (`:latest`, `:v1` pushed twice) is what
 * makes nodes run stale code and `rollout undo` restore the wrong thing; a unique tag per build
 * makes every revision name one content. Three strategies, as skaffold's taggers:
 *
 * - `git`: the commit's short SHA (7 hex digits), with `-dirty` when the work tree has changes;
 * - `timestamp`: the UTC time, `YYYYMMDD-HHMMSS`;
 * - `content`: `sha256-` and the first 12 hex digits of the image's manifest digest.
 *
 * The deploy still pins `repo:tag@sha256:…`, so even a reused tag cannot change what runs.
 */
export {
  CONTENT_SHORT_LENGTH,
  GIT_SHORT_LENGTH,
  parseTagStrategy,
  TAG_STRATEGIES,
  type TagInput,
  type TagStrategy,
  tagFor,
  validateTag,
} from './tag-strategy.js';
