import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  composeDocuments,
  readDocuments,
  splitDocuments,
  type TreeNode,
} from '../../../src/core/manifest/index.js';
import { cleanStream, yamlStream } from './yaml-arbitraries.js';

/** The tree as a plain value; block scalar text is not kept by the fast scanner, so it is left out. */
function plain(node: TreeNode | null): unknown {
  if (node === null) return null;
  const at = `${node.line}:${node.column}`;
  if (node.type === 'scalar')
    return node.block ? `<block>@${at}` : `${node.plain ? 'plain' : 'quoted'}:${node.text}@${at}`;
  if (node.type === 'seq') return { at, seq: node.items.map(plain) };
  return { at, map: Object.fromEntries([...node.entries].map(([k, v]) => [k, plain(v)])) };
}

function blockless(node: TreeNode | null, fast: TreeNode | null): unknown {
  // Where the fast scanner saw a block scalar, compare only its position.
  if (node === null || fast === null) return plain(node);
  if (fast.type === 'scalar' && fast.block && node.type === 'scalar')
    return `<block>@${node.line}:${node.column}`;
  if (node.type === 'seq' && fast.type === 'seq')
    return {
      at: `${node.line}:${node.column}`,
      seq: node.items.map((n, i) => blockless(n, fast.items[i] ?? null)),
    };
  if (node.type === 'map' && fast.type === 'map') {
    return {
      at: `${node.line}:${node.column}`,
      map: Object.fromEntries(
        [...node.entries].map(([k, v]) => [k, blockless(v, fast.entries.get(k) ?? null)]),
      ),
    };
  }
  return plain(node);
}

/**
 * Documents are split at `---` lines first, as kubectl does; each slice the fast scanner read must
 * be exactly what the full composer makes of the same slice: same tree, same positions, no errors.
 */
function compare(text: string): { fast: number; total: number } {
  let fast = 0;
  let total = 0;
  for (const slice of splitDocuments(text)) {
    total++;
    const fastRoot = slice.fastRoot();
    if (fastRoot === undefined) continue;
    fast++;
    const reference = composeDocuments(slice.text(), slice.startLine).filter(
      (d) => d.root !== null || d.problems.length > 0,
    );
    if (fastRoot === null) {
      expect(reference).toEqual([]);
      continue;
    }
    expect(reference.map((d) => d.problems)).toEqual([[]]);
    expect(plain(fastRoot)).toEqual(blockless(reference[0]!.root, fastRoot));
  }
  // And the combined reader never throws and positions every problem inside the text.
  const lines = text.split('\n').length;
  for (const doc of readDocuments(text)) {
    for (const p of doc.problems) expect(p.line).toBeLessThanOrEqual(lines);
  }
  return { fast, total };
}

describe('fast scanner against the full yaml composer', () => {
  it('reads generated and mutated YAML exactly as the composer does (trees, positions, errors)', () => {
    fc.assert(
      fc.property(yamlStream, (text) => {
        compare(text);
      }),
      { numRuns: Number(process.env.KUBEFRESH_PROPERTY_RUNS ?? 1500) },
    );
  });

  it('reads most clean workload documents on the fast path', () => {
    let fast = 0;
    let total = 0;
    fc.assert(
      fc.property(cleanStream, (text) => {
        const r = compare(text);
        fast += r.fast;
        total += r.total;
      }),
      { numRuns: 300 },
    );
    expect(fast / total).toBeGreaterThan(0.95);
  });

  it.each([
    ['compact sequences and comments', 'a:\n- x # c\n- y\nb: 1\n'],
    ['flow collections', 'a: {b: [1, 2], "c": d}\ne: []\n'],
    ['quoted keys and values', '"k": \'it\'\'s\'\nj: "x: y"\n'],
    ['block scalars', 'a: |\n  line\n\n  more\nb: >-\n  folded\nc: 1\n'],
    ['an indented root', '  a: 1\n  b:\n    - c\n'],
    ['empty values', 'a:\nb:\n  c:\nd: 1\n'],
    ['dash-prefixed plain scalars', 'args:\n  - --port=80\n  - -v\n'],
    ['CRLF line ends', 'a: 1\r\nb:\r\n  - x\r\n'],
    ['document markers', '---\na: 1\n...\n---\nb: 2\n'],
  ])('agrees on %s', (_name, text) => {
    const r = compare(text);
    expect(r.fast).toBe(r.total);
  });
});
