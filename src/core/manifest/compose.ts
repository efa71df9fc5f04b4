import {
  type Document,
  type EmptyStream,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type YAMLError,
} from 'yaml';
import type { TreeMap, TreeNode, TreeScalar } from './tree.js';
import type { ManifestProblem } from './types.js';

/**
 * The full path: the `yaml` package's composer, with merge keys on (Kubernetes' YAML reader applies
 * `<<`), anchors and aliases resolved, and every error kept with its code and position. Used for
 * the documents the fast scanner leaves alone, and as the reference the fast scanner is tested against.
 */
export interface ComposedDocument {
  readonly root: TreeNode | null;
  readonly problems: ManifestProblem[];
}

/** Reads `text` (one or more documents) whose first line is line `lineOffset + 1` of its file. */
export function composeDocuments(text: string, lineOffset = 0): ComposedDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    merge: true,
    prettyErrors: false,
    lineCounter,
    uniqueKeys: true,
  }) as Document.Parsed[] | EmptyStream;
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + lineOffset, column: col };
  };
  if ('empty' in docs && docs.empty) {
    // An empty stream can still carry errors (a stray `...`, an unterminated directive).
    const problems = docs.errors.map((e) => toProblem(e, position));
    return problems.length > 0 ? [{ root: null, problems }] : [];
  }
  return docs.map((doc) => {
    const problems = doc.errors.map((e) => toProblem(e, position));
    if (problems.length > 0) return { root: null, problems };
    const converter = new Converter(doc, position);
    const contents = doc.contents as Node | null;
    const empty =
      contents === null || (isScalar(contents) && contents.value === null && contents.source === '');
    const root = empty ? null : converter.convert(contents, undefined);
    return { root, problems: converter.problems };
  });
}

function toProblem(
  error: YAMLError,
  position: (offset: number) => { line: number; column: number },
): ManifestProblem {
  const { line, column } = position(error.pos[0]);
  // The library's messages end with "at line L, column C" only when pretty errors are on; they are off.
  return { code: error.code, message: error.message, line, column };
}

/** Nodes beyond this many per document are a YAML bomb (aliases of aliases), not a manifest. */
const MAX_NODES = 1_000_000;

class Converter {
  readonly problems: ManifestProblem[] = [];
  private readonly seen = new Map<Node, TreeNode>();
  private count = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly position: (offset: number) => { line: number; column: number },
  ) {}

  convert(node: Node, keyPosition: { line: number; column: number } | undefined): TreeNode {
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (target === undefined) return this.scalar('', true, node.range?.[0] ?? 0);
      return this.convert(target as Node, keyPosition);
    }
    const known = this.seen.get(node);
    if (known) return known;
    if (++this.count > MAX_NODES) {
      throw new TooComplex();
    }
    const at = this.position(node.range?.[0] ?? 0);
    if (isScalar(node)) {
      const text = node.source === undefined ? stringOf(node.value) : String(node.source);
      const plain = node.type === 'PLAIN' || node.type === undefined;
      if (plain && text === '' && keyPosition) return { type: 'scalar', text, plain, ...keyPosition };
      return { type: 'scalar', text, plain, ...at };
    }
    if (isSeq(node)) {
      const seq: TreeNode = { type: 'seq', items: [], ...at };
      this.seen.set(node, seq);
      for (const item of node.items) seq.items.push(this.convert(item as Node, undefined));
      return seq;
    }
    if (isMap(node)) {
      const map: TreeMap = { type: 'map', entries: new Map(), ...at };
      this.seen.set(node, map);
      const merges: TreeNode[] = [];
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const keyAt = key?.range ? this.position(key.range[0]) : at;
        if (isScalar(key) && key.type === 'PLAIN' && key.source === '<<') {
          if (pair.value) merges.push(this.convert(pair.value as Node, keyAt));
          continue;
        }
        const keyNode = key === null ? undefined : this.convert(key, undefined);
        let name = '';
        if (keyNode !== undefined) {
          if (keyNode.type !== 'scalar') continue; // complex keys never name a Kubernetes field
          name = keyNode.text;
        }
        const value = pair.value === null ? emptyAt(keyAt) : this.convert(pair.value as Node, keyAt);
        map.entries.set(name, value);
      }
      // Merge keys: explicit keys win, then earlier merge sources over later ones.
      for (const source of merges.flatMap((m) => (m.type === 'seq' ? m.items : [m]))) {
        if (source.type !== 'map') continue;
        for (const [k, v] of source.entries) if (!map.entries.has(k)) map.entries.set(k, v);
      }
      return map;
    }
    return this.scalar('', true, (node as Node).range?.[0] ?? 0);
  }

  private scalar(text: string, plain: boolean, offset: number): TreeScalar {
    return { type: 'scalar', text, plain, ...this.position(offset) };
  }
}

function emptyAt(at: { line: number; column: number }): TreeScalar {
  return { type: 'scalar', text: '', plain: true, ...at };
}

function stringOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Raised when a document expands past {@link MAX_NODES}; the caller turns it into a problem. */
export class TooComplex extends Error {}
