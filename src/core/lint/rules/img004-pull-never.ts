import type { ContainerRule } from '../rule.js';

export const IMG004: ContainerRule = {
  meta: {
    id: 'IMG004',
    name: 'pull-policy-never',
    title: 'imagePullPolicy: Never (an error when combined with a moving tag)',
    defaultSeverity: 'warning',
    why: 'Never runs only what was preloaded on each node; a node without the image fails with ErrImageNeverPull, and a preloaded moving tag is whatever each node imported last.',
    fix: 'Use IfNotPresent with a digest-pinned image, or Always; keep Never for air-gapped nodes whose images you import by digest.',
  },
  check(context) {
    if (context.explicitPolicy !== 'Never' || context.tagClass === undefined) return undefined;
    const moving = context.tagClass !== 'fixed';
    const tag = context.ref?.tag ?? 'latest';
    return {
      message: moving
        ? `image "${context.image}" has imagePullPolicy: Never and the moving tag "${tag}": each node runs whatever "${tag}" it imported last, and nodes without it fail with ErrImageNeverPull`
        : `image "${context.image}" has imagePullPolicy: Never: it runs only on nodes where the image was preloaded; others fail with ErrImageNeverPull`,
      remedy: { text: 'pin the image by digest and use IfNotPresent, or use Always', commands: [] },
      // With a moving tag this is the stale-image trap on every node: raise it to an error.
      ...(moving ? { evidence: { movingTag: tag }, severity: 'error' as const } : {}),
    };
  },
};
