/**
 * `kubefresh lint`'s rules: offline checks of the images in Kubernetes manifests.
 *
 * - Rules IMG001–IMG010 look at each container's `image` and `imagePullPolicy` (one file per rule in
 *   `rules/`); IMG009 compares references across all inputs. YAML001–YAML003 and FILE001–FILE003
 *   report inputs that could not be checked. The ids are part of the interface.
 * - A moving tag is `latest` (or no tag), a listed branch or channel name (`main`, `stable`, …,
 *   configurable), or a floating version (`1`, `1.2`, `v1`, `v1.2`).
 * - The effective pull policy is the explicit one, or what the API server defaults it to
 *   (`Always` for latest or no tag, otherwise `IfNotPresent`). A digest-pinned image never triggers a
 *   pull-policy rule: with a digest every policy runs the same image.
 * - Severity comes from the rule table, then `.kubefresh.yaml` (`lint.rules`), then flags
 *   (`--require-digest` makes IMG005 an error). An object opts out of rules with the annotation
 *   `kubefresh.io/ignore: "IMG001,IMG005"` (or `all`), on the object or its pod template.
 */
export {
  type FailOn,
  type LintConfig,
  normalizeRegistryEntry,
  parseFailOn,
  parseLintConfig,
  type ResolvedLintConfig,
  type RuleLevel,
  resolveLintConfig,
} from './config.js';
export { INPUT_RULES } from './input-rules.js';
export { Linter, type LintStats } from './linter.js';
export { classifyTag, DEFAULT_MOVING_TAGS, type TagClass } from './moving-tags.js';
export type {
  ContainerContext,
  ContainerRule,
  ImageRuleId,
  InputRuleId,
  RuleId,
  RuleMeta,
  RuleResult,
} from './rule.js';
export { CONTAINER_RULES, DEFAULT_SEVERITIES, RULE_IDS, RULES, ruleMeta } from './rule-table.js';
export { renderRulesMarkdown } from './rules-doc.js';

import type { Finding } from '../findings/index.js';
import { type LintConfig, resolveLintConfig } from './config.js';
import { Linter } from './linter.js';
import { DEFAULT_SEVERITIES } from './rule-table.js';

/** Lints one manifest text on its own (IMG009 compares within it). For many inputs use {@link Linter}. */
export function lintManifest(file: string, text: string, config: LintConfig = {}): Finding[] {
  const linter = new Linter(resolveLintConfig(DEFAULT_SEVERITIES, config));
  return [...linter.lintText(file, text), ...linter.finish()];
}
