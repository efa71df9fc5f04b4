/**
 * Finding one scalar's exact extent in the source text, starting from the position a YAML reader
 * reported for it, and decoding what is written there so a caller can check it is the value the
 * reader saw before touching a single character.
 */

/** How a scalar is written; block scalars (`|`, `>`) are never rewritten in place. */
export type ScalarStyle = 'plain' | 'single' | 'double';

/** A scalar's text span: `[start, end)` covers the quotes, if any. */
export interface ScalarSpan {
  readonly start: number;
  readonly end: number;
  readonly style: ScalarStyle;
  /** The decoded value (quotes removed, escapes applied). */
  readonly value: string;
}

/** Why a scalar could not be located or may not be touched. */
export type SpanProblem = 'out-of-range' | 'block-scalar' | 'alias' | 'multi-line' | 'unterminated';

/** 0-based offsets of every line start (after each `\n`); CR stays part of its line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The offset of a 1-based line and column (UTF-16 code units), or -1 when outside the text. */
export function offsetAt(starts: readonly number[], text: string, line: number, column: number): number {
  const lineStart = starts[line - 1];
  if (lineStart === undefined || column < 1) return -1;
  const lineEnd = line < starts.length ? starts[line]! - 1 : text.length;
  const offset = lineStart + column - 1;
  return offset <= lineEnd ? offset : -1;
}

/** Reads the scalar that starts at `offset` (skipping any `&anchor` and `!tag` properties). */
export function scalarAt(text: string, offset: number): ScalarSpan | SpanProblem {
  if (offset < 0 || offset > text.length) return 'out-of-range';
  let at = skipProperties(text, offset);
  const c = text[at];
  if (c === '*') return 'alias';
  if (c === '|' || c === '>') return 'block-scalar';
  if (c === "'") return singleQuoted(text, at);
  if (c === '"') return doubleQuoted(text, at);
  // Plain: ends at a comment, a `: `, a flow indicator or the line end. Image references contain
  // none of those. A plain scalar folded over several lines reads as a different value (the fold
  // adds a space), so the caller's check against the reader's value rejects it.
  const start = at;
  let end = at;
  for (; at < text.length; at++) {
    const ch = text[at]!;
    if (ch === '\n' || ch === '\r') break;
    if (ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}') break;
    if (ch === '#' && (text[at - 1] === ' ' || text[at - 1] === '\t')) break;
    if (ch === ':' && isBreak(text[at + 1])) break;
    if (ch !== ' ' && ch !== '\t') end = at + 1;
  }
  return { start, end, style: 'plain', value: text.slice(start, end) };
}

function isBreak(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function skipProperties(text: string, offset: number): number {
  let at = offset;
  while (text[at] === '&' || text[at] === '!') {
    while (at < text.length && !isBreak(text[at])) at++;
    while (text[at] === ' ' || text[at] === '\t') at++;
  }
  return at;
}

function singleQuoted(text: string, start: number): ScalarSpan | SpanProblem {
  let value = '';
  for (let at = start + 1; at < text.length; at++) {
    const ch = text[at]!;
    if (ch === '\n' || ch === '\r') return 'multi-line';
    if (ch === "'") {
      if (text[at + 1] === "'") {
        value += "'";
        at++;
        continue;
      }
      return { start, end: at + 1, style: 'single', value };
    }
    value += ch;
  }
  return 'unterminated';
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPES: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

function doubleQuoted(text: string, start: number): ScalarSpan | SpanProblem {
  let value = '';
  for (let at = start + 1; at < text.length; at++) {
    const ch = text[at]!;
    if (ch === '\n' || ch === '\r') return 'multi-line';
    if (ch === '"') return { start, end: at + 1, style: 'double', value };
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const e = text[at + 1];
    if (e === undefined || e === '\n' || e === '\r') return 'multi-line';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      value += simple;
      at++;
      continue;
    }
    const width = HEX_ESCAPES[e];
    const hex = width === undefined ? '' : text.slice(at + 2, at + 2 + width);
    if (width === undefined || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) return 'unterminated';
    value += String.fromCodePoint(Number.parseInt(hex, 16));
    at += 1 + width;
  }
  return 'unterminated';
}
