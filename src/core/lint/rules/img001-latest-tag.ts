import type { ContainerRule } from '../rule.js';
import { pinCommands } from './remedies.js';

export const IMG001: ContainerRule = {
  meta: {
    id: 'IMG001',
    name: 'latest-tag',
    title: 'Image uses the latest tag, or no tag (which means latest)',
    defaultSeverity: 'warning',
    why: 'latest names whatever was pushed last. Two nodes, or the same node a day apart, can run different code under the same name, and a rollback to "latest" goes nowhere.',
    fix: 'Deploy a unique tag (a version or the commit SHA), or pin the digest: name:tag@sha256:….',
  },
  check(context) {
    if (context.tagClass !== 'latest' || context.image === undefined) return undefined;
    const written =
      context.ref?.tag === undefined
        ? `has no tag, so it means ${context.image}:latest`
        : 'uses the latest tag';
    return {
      message: `image "${context.image}" ${written}, which moves with every push`,
      remedy: { text: 'use a unique version tag, or pin the digest', commands: pinCommands(context) },
    };
  },
};
