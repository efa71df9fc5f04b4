import type { Severity } from '../findings/index.js';
import { INPUT_RULES } from './input-rules.js';
import type { ContainerRule, RuleId, RuleMeta } from './rule.js';
import { IMG001 } from './rules/img001-latest-tag.js';
import { IMG002 } from './rules/img002-moving-tag.js';
import { IMG003 } from './rules/img003-stale-image-trap.js';
import { IMG004 } from './rules/img004-pull-never.js';
import { IMG005 } from './rules/img005-not-pinned.js';
import { IMG006 } from './rules/img006-no-pull-policy.js';
import { IMG007 } from './rules/img007-loopback-registry.js';
import { IMG008 } from './rules/img008-invalid-reference.js';
import { IMG009_META } from './rules/img009-inconsistent-references.js';
import { IMG010 } from './rules/img010-allowed-registries.js';

/** The per-container rules, in the order their findings are listed for one container. */
export const CONTAINER_RULES: readonly ContainerRule[] = [
  IMG008,
  IMG001,
  IMG002,
  IMG003,
  IMG004,
  IMG005,
  IMG006,
  IMG007,
  IMG010,
];

/** Every rule's metadata: image rules IMG001–IMG010, then the input checks. docs/rules.md is generated from it. */
export const RULES: readonly RuleMeta[] = [
  ...[...CONTAINER_RULES.map((r) => r.meta), IMG009_META].sort((a, b) => a.id.localeCompare(b.id)),
  ...INPUT_RULES,
];

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

/** Each rule's default severity. */
export const DEFAULT_SEVERITIES: Readonly<Record<RuleId, Severity>> = Object.fromEntries(
  RULES.map((r) => [r.id, r.defaultSeverity]),
) as Record<RuleId, Severity>;

/** The metadata of one rule, or undefined. */
export function ruleMeta(id: string): RuleMeta | undefined {
  return RULES.find((r) => r.id === id);
}
