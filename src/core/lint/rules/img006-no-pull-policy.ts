import { explainDefaultPullPolicy } from '../../pull-policy/index.js';
import type { ContainerRule } from '../rule.js';

export const IMG006: ContainerRule = {
  meta: {
    id: 'IMG006',
    name: 'no-pull-policy',
    title: 'No explicit imagePullPolicy',
    defaultSeverity: 'info',
    why: 'The API server fills in the policy once, from the tag at that moment (Always for latest or no tag, IfNotPresent otherwise) and stores it. Changing the tag later keeps the stored policy, which surprises people.',
    fix: 'Write the policy you mean: IfNotPresent for digest-pinned or unique tags, Always for anything that moves.',
  },
  check(context) {
    if (context.explicitPolicy !== undefined || context.container.imagePullPolicy !== undefined)
      return undefined;
    if (context.image === undefined || context.ref === undefined || context.ref.digest !== undefined)
      return undefined;
    const { policy, because } = explainDefaultPullPolicy(context.image);
    return {
      message: `no imagePullPolicy: the API server will set ${policy} (${because}) and keep it even if the tag changes later`,
      remedy: { text: `set imagePullPolicy explicitly (${policy} is what you get today)`, commands: [] },
      evidence: { defaultPullPolicy: policy },
    };
  },
};
