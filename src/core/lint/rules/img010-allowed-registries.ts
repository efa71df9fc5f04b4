import type { ContainerRule } from '../rule.js';

export const IMG010: ContainerRule = {
  meta: {
    id: 'IMG010',
    name: 'registry-not-allowed',
    title: 'Image registry is not in the allowed list',
    defaultSeverity: 'error',
    why: 'Teams keep production images in registries they control (for availability, rate limits and provenance). Checked only when --allowed-registries or lint.allowedRegistries is given.',
    fix: 'Mirror the image into an allowed registry and reference it there, or extend the allowed list.',
  },
  check(context) {
    const allowed = context.config.allowedRegistries;
    if (allowed === undefined || context.ref === undefined) return undefined;
    const name = context.ref.name();
    const ok = allowed.some((entry) =>
      entry.includes('/')
        ? name === entry || name.startsWith(`${entry}/`)
        : context.ref!.registry.toLowerCase() === entry,
    );
    if (ok) return undefined;
    return {
      message: `image "${context.image}" comes from registry "${context.ref.registry}", which is not in the allowed registries (${allowed.join(', ')})`,
      remedy: { text: 'mirror the image into an allowed registry and reference it there', commands: [] },
      evidence: { registry: context.ref.registry, allowed },
    };
  },
};
