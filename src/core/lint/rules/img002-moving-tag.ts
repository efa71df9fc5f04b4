import type { ContainerRule } from '../rule.js';
import { pinCommands } from './remedies.js';

export const IMG002: ContainerRule = {
  meta: {
    id: 'IMG002',
    name: 'moving-tag',
    title: 'Image uses a moving tag (a branch or channel name, or a floating version)',
    defaultSeverity: 'warning',
    why: 'Tags like main, stable or nightly are re-pushed on purpose, and floating versions like 1, 1.2 or v2 follow the newest release. Which image a pod runs then depends on when each node pulled it.',
    fix: 'Deploy a unique tag (a full version or the commit SHA), or pin the digest. The list of moving tags is configurable (lint.movingTags, lint.extraMovingTags).',
  },
  check(context) {
    const tag = context.ref?.tag;
    if (tag === undefined || (context.tagClass !== 'moving' && context.tagClass !== 'floating'))
      return undefined;
    const what =
      context.tagClass === 'floating'
        ? `the floating version tag "${tag}", which moves to each new ${tag}.x release`
        : `the moving tag "${tag}", which is re-pushed to point at new images`;
    return {
      message: `image "${context.image}" uses ${what}`,
      remedy: { text: 'use a unique version tag, or pin the digest', commands: pinCommands(context) },
      evidence: { tagClass: context.tagClass },
    };
  },
};
