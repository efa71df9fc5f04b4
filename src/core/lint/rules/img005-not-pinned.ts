import type { ContainerRule } from '../rule.js';
import { pinCommands } from './remedies.js';

export const IMG005: ContainerRule = {
  meta: {
    id: 'IMG005',
    name: 'not-pinned-by-digest',
    title: 'Image is not pinned by digest',
    defaultSeverity: 'info',
    why: 'Any tag can be re-pushed. Only a digest names exactly one image, so only a digest guarantees that every node runs what you tested. --require-digest (or lint.requireDigest) makes this an error.',
    fix: 'Pin the digest next to the tag (name:tag@sha256:…): kubefresh pin rewrites manifests for you.',
  },
  check(context) {
    if (context.ref === undefined || context.ref.digest !== undefined) return undefined;
    return {
      message: `image "${context.image}" is not pinned by digest`,
      remedy: { text: 'pin the digest: name:tag@sha256:…', commands: pinCommands(context) },
    };
  },
};
