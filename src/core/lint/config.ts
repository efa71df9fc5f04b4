import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { KubefreshError } from '../../errors/index.js';
import { yamlProblem } from '../config-text/index.js';
import type { Severity } from '../findings/index.js';
import { DEFAULT_MOVING_TAGS } from './moving-tags.js';
import type { RuleId } from './rule.js';
import { RULE_IDS } from './rule-table.js';

/** A rule's configured level: a severity, or `off`. */
export type RuleLevel = Severity | 'off';

/** `--fail-on`: the lowest severity that makes lint exit 1; `none` never does. */
export type FailOn = Severity | 'none';

/** The `lint:` section of `.kubefresh.yaml`, as written (every field optional). */
export interface LintConfig {
  /** Severity overrides per rule id, or `off`. */
  readonly rules?: Readonly<Partial<Record<RuleId, RuleLevel>>>;
  /** Replaces the built-in moving-tag list. Default: {@link DEFAULT_MOVING_TAGS}. */
  readonly movingTags?: readonly string[];
  /** Added to the moving-tag list. */
  readonly extraMovingTags?: readonly string[];
  /** When set, IMG010 reports images from any other registry (`ghcr.io`, `ghcr.io/acme`). */
  readonly allowedRegistries?: readonly string[];
  /** Makes IMG005 (not pinned by digest) an error. Default: false. */
  readonly requireDigest?: boolean;
  /** Default: `error`. */
  readonly failOn?: FailOn;
}

/** The configuration the linter runs with, after defaults, the config file and flags. */
export interface ResolvedLintConfig {
  readonly levels: Readonly<Record<RuleId, RuleLevel>>;
  readonly movingTags: ReadonlySet<string>;
  readonly allowedRegistries: readonly string[] | undefined;
  readonly requireDigest: boolean;
  readonly failOn: FailOn;
}

const LEVELS: readonly RuleLevel[] = ['error', 'warning', 'info', 'off'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'none'];
const LINT_KEYS = ['rules', 'movingTags', 'extraMovingTags', 'allowedRegistries', 'requireDigest', 'failOn'];

/**
 * Merges configuration layers (later wins) over the defaults. `requireDigest` raises IMG005 to an
 * error unless a layer turned the rule off explicitly after it.
 */
export function resolveLintConfig(
  defaults: Readonly<Record<RuleId, Severity>>,
  ...layers: readonly (LintConfig | undefined)[]
): ResolvedLintConfig {
  const levels: Record<string, RuleLevel> = { ...defaults };
  let movingTags: readonly string[] = DEFAULT_MOVING_TAGS;
  const extra: string[] = [];
  let allowedRegistries: readonly string[] | undefined;
  let requireDigest = false;
  let failOn: FailOn = 'error';
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.requireDigest !== undefined) {
      requireDigest = layer.requireDigest;
      if (requireDigest) levels.IMG005 = 'error';
    }
    for (const [id, level] of Object.entries(layer.rules ?? {})) levels[id] = level;
    if (layer.movingTags) movingTags = layer.movingTags;
    if (layer.extraMovingTags) extra.push(...layer.extraMovingTags);
    if (layer.allowedRegistries) allowedRegistries = layer.allowedRegistries.map(normalizeRegistryEntry);
    if (layer.failOn) failOn = layer.failOn;
  }
  return {
    levels: levels as Record<RuleId, RuleLevel>,
    movingTags: new Set([...movingTags, ...extra].map((t) => t.toLowerCase())),
    allowedRegistries,
    requireDigest,
    failOn,
  };
}

/** `index.docker.io` and `docker.io` are one registry; hosts are case-insensitive; no trailing slash. */
export function normalizeRegistryEntry(entry: string): string {
  let text = entry.trim().replace(/\/+$/, '');
  const slash = text.indexOf('/');
  const host = (slash === -1 ? text : text.slice(0, slash)).toLowerCase();
  const rest = slash === -1 ? '' : text.slice(slash);
  text = `${host === 'index.docker.io' ? 'docker.io' : host}${rest}`;
  return text;
}

/**
 * Parses and validates the text of `.kubefresh.yaml`; returns its `lint:` section. Errors quote the
 * file, line and column and say what was expected (code `CONFIG_INVALID`).
 */
export function parseLintConfig(text: string, source: string): LintConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const where = (node: Node | null | undefined): string => {
    const offset = node?.range?.[0];
    if (offset === undefined) return source;
    const { line, col } = lineCounter.linePos(offset);
    return `${source}:${line}:${col}`;
  };
  const fail = (node: Node | null | undefined, message: string): never => {
    throw new KubefreshError('CONFIG_INVALID', `${where(node)}: ${message}`, {
      hint: 'see docs/rules.md for the configuration keys and rule ids',
      details: { file: source },
    });
  };
  // A syntax error is said by line, column and a fixed reason: parsers quote the text around it.
  const problem = doc.errors.length === 0 ? undefined : yamlProblem(text);
  if (problem !== undefined) {
    throw new KubefreshError(
      'CONFIG_INVALID',
      `${source}:${problem.line}:${problem.column}: not valid YAML: ${problem.reason}`,
      {
        hint: 'fix the YAML syntax of the configuration file',
        details: { file: source },
      },
    );
  }
  const root = doc.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) return {};
  if (!isMap(root)) return fail(root, 'expected a mapping at the top level (with a `lint:` key)');
  const lint = root.get('lint', true) as Node | undefined;
  if (lint === undefined || (isScalar(lint) && lint.value === null)) return {};
  if (!isMap(lint)) return fail(lint, 'expected `lint:` to be a mapping');
  const out: { -readonly [K in keyof LintConfig]: LintConfig[K] } = {};
  for (const pair of lint.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const value = pair.value as Node | null;
    switch (key) {
      case 'rules':
        out.rules = readRules(value, fail);
        break;
      case 'movingTags':
      case 'extraMovingTags':
      case 'allowedRegistries':
        out[key] = readStrings(value, `lint.${key}`, fail);
        break;
      case 'requireDigest':
        if (!isScalar(value) || typeof value.value !== 'boolean')
          fail(value, 'expected lint.requireDigest to be true or false');
        out.requireDigest = (value as { value: boolean }).value;
        break;
      case 'failOn': {
        const level = isScalar(value) ? value.value : undefined;
        if (typeof level !== 'string' || !FAIL_ON.includes(level as FailOn)) {
          fail(
            value,
            `expected lint.failOn to be one of ${FAIL_ON.join(', ')}, got ${JSON.stringify(level ?? null)}`,
          );
        }
        out.failOn = level as FailOn;
        break;
      }
      default:
        fail(keyNode, `unknown key "lint.${key}"; expected one of ${LINT_KEYS.join(', ')}`);
    }
  }
  return out;
}

type Fail = (node: Node | null | undefined, message: string) => never;

function readRules(value: Node | null, fail: Fail): Partial<Record<RuleId, RuleLevel>> {
  if (!isMap(value)) return fail(value, 'expected lint.rules to map rule ids to error, warning, info or off');
  const rules: Partial<Record<RuleId, RuleLevel>> = {};
  for (const pair of value.items) {
    const keyNode = pair.key as Node;
    const id = isScalar(keyNode) ? String(keyNode.value).toUpperCase() : '';
    if (!RULE_IDS.includes(id as RuleId)) {
      fail(keyNode, `"${id}" is not a rule id; expected one of ${RULE_IDS.join(', ')}`);
    }
    const levelNode = pair.value as Node | null;
    // `off` is a boolean in YAML 1.1 readers; accept `false` too.
    const raw = isScalar(levelNode) ? levelNode.value : undefined;
    const level = raw === false ? 'off' : raw;
    if (typeof level !== 'string' || !LEVELS.includes(level as RuleLevel)) {
      fail(
        levelNode,
        `expected lint.rules.${id} to be one of ${LEVELS.join(', ')}, got ${JSON.stringify(raw ?? null)}`,
      );
    }
    rules[id as RuleId] = level as RuleLevel;
  }
  return rules;
}

function readStrings(value: Node | null, key: string, fail: Fail): string[] {
  if (!isSeq(value)) return fail(value, `expected ${key} to be a list of strings`);
  return value.items.map((item) => {
    const node = item as Node;
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      return fail(node, `expected ${key} to hold non-empty strings`);
    }
    return node.value;
  });
}

/** Parses `--fail-on`, `--allowed-registries` style values; throws `USAGE_*` errors quoting the input. */
export function parseFailOn(text: string): FailOn {
  if (!FAIL_ON.includes(text as FailOn)) {
    throw new KubefreshError(
      'USAGE_INVALID_FAIL_ON',
      `--fail-on "${text}" is not valid; expected one of ${FAIL_ON.join(', ')}`,
    );
  }
  return text as FailOn;
}
