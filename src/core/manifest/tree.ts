/**
 * The small, position-carrying tree both YAML readers produce (the fast line scanner and the full
 * `yaml` composer). Workload extraction reads only this shape, so both paths give the same answers.
 */

/** A 1-based line and column (UTF-16 code units, as editors and SARIF count them). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * A scalar: `text` is the resolved string content (quotes removed, escapes applied); `plain` says it
 * was written without quotes, so the YAML core schema may read it as null, a boolean or a number.
 * Empty values (`image:`) are plain empty scalars positioned at their key.
 */
export interface TreeScalar extends Position {
  readonly type: 'scalar';
  readonly text: string;
  readonly plain: boolean;
  /** Set by the fast scanner on block scalars (`|`, `>`), whose text it does not keep. */
  readonly block?: true;
}

export interface TreeMap extends Position {
  readonly type: 'map';
  readonly entries: Map<string, TreeNode>;
}

export interface TreeSeq extends Position {
  readonly type: 'seq';
  readonly items: TreeNode[];
}

export type TreeNode = TreeScalar | TreeMap | TreeSeq;

const MAYBE_NOT_STRING = new Set([...'~nNtTfF0123456789+-.'].map((ch) => ch.charCodeAt(0)));
const CORE_NULL = /^(?:~|null|Null|NULL|)$/;
const CORE_BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const CORE_NUMBER =
  /^(?:[-+]?(?:0|[1-9][0-9]*|[0-9]+)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** What a scalar means under the YAML 1.2 core schema: a string, or null / boolean / number. */
export function scalarKind(node: TreeScalar): 'string' | 'null' | 'bool' | 'number' {
  if (!node.plain) return 'string';
  // Only these first characters can start a null, boolean or number; most strings skip the regexps.
  const c = node.text.charCodeAt(0);
  if (!Number.isNaN(c) && !MAYBE_NOT_STRING.has(c)) return 'string';
  if (CORE_NULL.test(node.text)) return 'null';
  if (CORE_BOOL.test(node.text)) return 'bool';
  if (CORE_NUMBER.test(node.text)) return 'number';
  return 'string';
}

/** The entry `key` of a map node, or undefined. */
export function child(node: TreeNode | undefined, key: string): TreeNode | undefined {
  return node?.type === 'map' ? node.entries.get(key) : undefined;
}

/** The node at a dotted path of map keys (`spec.template.spec`), or undefined. */
export function at(node: TreeNode | undefined, path: readonly string[]): TreeNode | undefined {
  let current = node;
  for (const key of path) {
    current = child(current, key);
    if (current === undefined) return undefined;
  }
  return current;
}

/** The string value of a scalar node; undefined for anything else (null, numbers, maps, …). */
export function stringAt(node: TreeNode | undefined): string | undefined {
  return node?.type === 'scalar' && scalarKind(node) === 'string' ? node.text : undefined;
}
