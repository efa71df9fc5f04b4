import type { ContainerRule } from '../rule.js';
import { containerLabel } from './remedies.js';

export const IMG008: ContainerRule = {
  meta: {
    id: 'IMG008',
    name: 'invalid-reference',
    title: 'Image reference is invalid (or missing)',
    defaultSeverity: 'error',
    why: 'The API server accepts almost any image text; the kubelet then fails the container with InvalidImageName and the pod never starts.',
    fix: 'Write registry/repository:tag or …@sha256:<64 hex>, with a lowercase repository; check with kubefresh ref IMAGE.',
  },
  check(context) {
    const field = context.container.image;
    if (field === undefined) {
      return {
        message: `container ${containerLabel(context)} has no image`,
        remedy: { text: 'set the image of every container', commands: [] },
      };
    }
    if (context.image === undefined) {
      return {
        message: `the image of container ${containerLabel(context)} is ${field.nonString === 'null' ? 'empty' : `a ${field.nonString}, not a string`}`,
        remedy: { text: 'write the image as a string', commands: [] },
      };
    }
    if (context.refError === undefined) return undefined;
    return {
      message: `invalid image reference "${context.image}": ${context.refError} (the kubelet reports InvalidImageName)`,
      remedy: {
        text: 'fix the reference',
        commands: [`kubefresh ref '${context.image.replaceAll("'", "'\\''")}'`],
      },
      evidence: { reason: context.refError },
    };
  },
};
