import type { Remedy, Severity } from '../findings/index.js';
import type { ImageRef } from '../image-ref/index.js';
import type { ContainerImage, Workload } from '../manifest/index.js';
import type { PullPolicy } from '../pull-policy/index.js';
import type { ResolvedLintConfig } from './config.js';
import type { TagClass } from './moving-tags.js';

/** The image rule ids. They are part of the interface: configs, annotations and CI filters name them. */
export type ImageRuleId =
  | 'IMG001'
  | 'IMG002'
  | 'IMG003'
  | 'IMG004'
  | 'IMG005'
  | 'IMG006'
  | 'IMG007'
  | 'IMG008'
  | 'IMG009'
  | 'IMG010';

/** Checks on the input itself (unreadable YAML, binary files, …), reported like rules. */
export type InputRuleId = 'YAML001' | 'YAML002' | 'YAML003' | 'FILE001' | 'FILE002' | 'FILE003';

export type RuleId = ImageRuleId | InputRuleId;

/** What the rule table says about a rule: the source of `docs/rules.md` and SARIF rule metadata. */
export interface RuleMeta {
  readonly id: RuleId;
  /** A short kebab-case name (`latest-tag`), SARIF's `rule.name`. */
  readonly name: string;
  /** One line: what the rule finds. */
  readonly title: string;
  readonly defaultSeverity: Severity;
  /** Why it matters, in a few sentences. */
  readonly why: string;
  /** How to fix it, in a sentence or two. */
  readonly fix: string;
}

/** Everything a container rule needs, computed once per container. */
export interface ContainerContext {
  readonly file: string;
  readonly workload: Workload;
  readonly container: ContainerImage;
  /** The image text, when the field is a string. */
  readonly image: string | undefined;
  /** The parsed reference, when it parses. */
  readonly ref: ImageRef | undefined;
  /** Why it does not parse (the distribution/reference wording), when it does not. */
  readonly refError: string | undefined;
  /** `imagePullPolicy` as written, when it is one of the three valid values. */
  readonly explicitPolicy: PullPolicy | undefined;
  /** The policy the container runs with: explicit, or the API default. Undefined for invalid images. */
  readonly effectivePolicy: PullPolicy | undefined;
  /** How the tag moves; undefined when the image is pinned by digest or does not parse. */
  readonly tagClass: TagClass | undefined;
  readonly config: ResolvedLintConfig;
}

/** What a rule reports; the linter adds code, severity, subject and location. */
export interface RuleResult {
  readonly message: string;
  readonly remedy: Remedy;
  readonly evidence?: Readonly<Record<string, unknown>>;
  /** A severity for this case when the rule's level is not configured (IMG004 with a moving tag). */
  readonly severity?: Severity;
}

/** A rule that looks at one container at a time. */
export interface ContainerRule {
  readonly meta: RuleMeta;
  check(context: ContainerContext): RuleResult | undefined;
}
