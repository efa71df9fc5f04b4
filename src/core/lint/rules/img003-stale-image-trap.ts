import type { ContainerRule } from '../rule.js';
import { pinCommands } from './remedies.js';

export const IMG003: ContainerRule = {
  meta: {
    id: 'IMG003',
    name: 'moving-tag-if-not-present',
    title: 'Moving tag with an effective pull policy of IfNotPresent: the stale-image trap',
    defaultSeverity: 'error',
    why: 'With IfNotPresent the kubelet uses whatever image a node already has under that tag. After a new push and a rollout, nodes that cached the old image keep running it, silently, and different nodes run different code.',
    fix: 'Pin the image by digest (best), deploy a unique tag, or set imagePullPolicy: Always.',
  },
  check(context) {
    if (context.tagClass === undefined || context.tagClass === 'fixed') return undefined;
    if (context.effectivePolicy !== 'IfNotPresent') return undefined;
    const tag = context.ref?.tag ?? 'latest';
    const policy =
      context.explicitPolicy === undefined
        ? 'imagePullPolicy IfNotPresent (what the API server sets when the field is empty)'
        : 'imagePullPolicy: IfNotPresent';
    return {
      message: `image "${context.image}" has the moving tag "${tag}" with ${policy}: nodes that already cached "${tag}" keep running the old image after a rollout`,
      remedy: {
        text: 'pin the digest, deploy a unique tag, or set imagePullPolicy: Always',
        commands: pinCommands(context),
      },
      evidence: { effectivePullPolicy: 'IfNotPresent', explicit: context.explicitPolicy !== undefined },
    };
  },
};
