import type { TreeMap, TreeNode, TreeScalar, TreeSeq } from './tree.js';

/**
 * A fast reader for the plain block YAML that Kubernetes manifests are almost always written in
 * (`kubectl`, Helm and Kustomize output): block maps and sequences indented with spaces, one-line
 * plain and quoted scalars, one-line flow collections, comments and block scalars.
 *
 * It never guesses. Any construct it does not fully understand (anchors, aliases, tags, merge keys,
 * multi-line scalars or flow collections, tabs, escapes, duplicate keys, anything malformed) makes it
 * give up on that document, and the caller reads the document with the full `yaml` composer instead.
 * So the fast path only ever returns what the full parser would, and errors always come from the
 * full parser with its exact codes and positions. A differential test holds the two to that.
 */

/** One document of a stream: its lines [startLine, endLine) (0-based), read on demand. */
export interface FastDocument {
  /** 0-based index of the first line of this document's slice (the `---` line when there is one). */
  readonly startLine: number;
  readonly endLine: number;
  /**
   * Reads the document: its root, `null` when empty, `undefined` when the full parser must read it.
   * Reading on demand keeps one document's tree alive at a time, however long the stream.
   */
  read(): TreeNode | null | undefined;
}

/** Thrown inside the scanner to abandon a document; never escapes this module. */
class GiveUp {}
const GIVE_UP = new GiveUp();

/** Keys whose values matter to extraction: block scalars there are read by the full parser. */
const VALUE_KEYS = new Set([
  'image',
  'imagePullPolicy',
  'kind',
  'apiVersion',
  'name',
  'namespace',
  'kubefresh.io/ignore',
]);

/** Tabs, control characters, stray CRs, BOMs and Unicode line separators: the full parser's business. */
const UNUSUAL = /[\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]/;

interface Frame {
  readonly kind: 'map' | 'seq';
  /** Column (0-based) of the keys or the dashes. */
  readonly indent: number;
  readonly node: TreeMap | TreeSeq;
  /** A key (or dash) with no value yet on its line: the next, more indented lines are its value. */
  pendingKey: string | undefined;
  pendingLine: number;
  pendingColumn: number;
  pendingDash: boolean;
}

/**
 * Splits `text` into documents at `---` and `...` lines (cheap: no parsing) and returns a reader for
 * each. `lines` is `text` split on `\n`. A `%` directive anywhere, or a BOM, sends the whole text to
 * the full parser (`wholeFileFallback`), since directives apply across document boundaries.
 */
export function fastScan(text: string): {
  lines: string[];
  documents: FastDocument[];
  wholeFileFallback: boolean;
} {
  const lines = text.split('\n');
  if (text.charCodeAt(0) === 0xfeff || text.charCodeAt(0) === 0x25 || text.includes('\n%')) {
    return { lines, documents: [fallbackDocument(0, lines.length)], wholeFileFallback: true };
  }
  const documents: FastDocument[] = [];
  let start = 0;
  let contentStart = 0;
  let markerFallback = false;
  /** Ends the current document at line `end` (exclusive); its content stops at `contentEnd`. */
  const flush = (end: number, contentEnd = end): void => {
    if (end <= start) return;
    if (markerFallback) {
      documents.push(fallbackDocument(start, end));
      return;
    }
    // Comment-only text before the first marker is not a document.
    if (start === 0 && !hasContent(lines, 0, contentEnd)) return;
    const from = contentStart;
    documents.push({ startLine: start, endLine: end, read: () => readDocument(lines, from, contentEnd) });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const c0 = line.charCodeAt(0);
    if ((c0 === 0x2d /* - */ || c0 === 0x2e) /* . */ && isMarker(line)) {
      if (c0 === 0x2d) {
        flush(i);
        start = i;
        contentStart = i + 1;
        markerFallback = !isBlankOrComment(line, 3);
      } else {
        // `...` ends a document (the line stays with it); what follows is a new bare document.
        flush(i + 1, i);
        start = i + 1;
        contentStart = i + 1;
        markerFallback = false;
      }
    }
  }
  flush(lines.length);
  return { lines, documents, wholeFileFallback: false };
}

function fallbackDocument(startLine: number, endLine: number): FastDocument {
  return { startLine, endLine, read: () => undefined };
}

function isMarker(line: string): boolean {
  const c = line.charCodeAt(0);
  if (line.charCodeAt(1) !== c || line.charCodeAt(2) !== c) return false;
  const next = line.charCodeAt(3);
  return Number.isNaN(next) || next === 0x20 || next === 0x09 || next === 0x0d;
}

function isBlankOrComment(line: string, from: number): boolean {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x20 || c === 0x0d) continue;
    return c === 0x23 && i > from;
  }
  return true;
}

function hasContent(lines: readonly string[], start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#') && !(i === start && isMarker(line))) return true;
  }
  return false;
}

/** Reads lines [from, to) as one document: its root, null when empty, undefined to fall back. */
function readDocument(lines: readonly string[], from: number, to: number): TreeNode | null | undefined {
  try {
    return new DocumentReader(lines, from, to).read();
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

class DocumentReader {
  private readonly stack: Frame[] = [];
  private root: TreeNode | null = null;
  /** Set while skipping a block scalar's body: lines more indented than this belong to it. */
  private blockParentIndent = -2;
  private blockSeenContent = false;
  private blockContentIndent = -1;

  constructor(
    private readonly lines: readonly string[],
    private readonly from: number,
    private readonly to: number,
  ) {}

  read(): TreeNode | null {
    for (let i = this.from; i < this.to; i++) {
      let line = this.lines[i]!;
      if (line.charCodeAt(line.length - 1) === 0x0d) line = line.slice(0, -1);
      if (UNUSUAL.test(line)) throw GIVE_UP;
      let indent = 0;
      while (line.charCodeAt(indent) === 0x20) indent++;
      if (this.blockParentIndent > -2) {
        if (this.inBlockScalar(line, indent)) continue;
      }
      if (indent === line.length || line.charCodeAt(indent) === 0x23 /* # */) continue;
      this.line(line, indent, i + 1);
    }
    this.closePending();
    return this.root;
  }

  private inBlockScalar(line: string, indent: number): boolean {
    if (indent === line.length) {
      // Leading blank lines with spaces can change how the body's indentation is detected.
      if (!this.blockSeenContent && indent > 0) throw GIVE_UP;
      return true;
    }
    if (!this.blockSeenContent) {
      if (indent > this.blockParentIndent) {
        this.blockSeenContent = true;
        this.blockContentIndent = indent;
        return true;
      }
    } else if (indent >= this.blockContentIndent) {
      return true;
    }
    this.blockParentIndent = -2;
    return false;
  }

  private line(line: string, indent: number, lineNo: number): void {
    // Close frames this line is not inside of.
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (top === undefined) break;
      if (top.pendingKey !== undefined || top.pendingDash) {
        if (indent > top.indent || (indent === top.indent && top.kind === 'map' && isDash(line, indent))) {
          this.nested(top, line, indent, lineNo);
          return;
        }
        this.resolvePending(top);
      }
      if (indent === top.indent) {
        if (top.kind === 'seq' && !isDash(line, indent)) {
          this.stack.pop();
          continue;
        }
        this.content(line, indent, lineNo);
        return;
      }
      if (indent > top.indent) throw GIVE_UP; // a continuation line or bad indentation
      this.stack.pop();
    }
    if (this.root !== null) throw GIVE_UP; // a second root, or a line left of the root's column
    this.root = this.openAt(line, indent, lineNo);
  }

  /** A line at the indentation of the top frame: the next dash item or map entry. */
  private content(line: string, indent: number, lineNo: number): void {
    const top = this.stack[this.stack.length - 1]!;
    if (top.kind === 'seq') {
      this.dashItem(top, line, indent, lineNo);
    } else {
      if (isDash(line, indent)) throw GIVE_UP;
      this.entry(top, line, indent, lineNo);
    }
  }

  /** The first line of the value of a pending key or dash. */
  private nested(top: Frame, line: string, indent: number, lineNo: number): void {
    const key = top.pendingKey;
    const dash = top.pendingDash;
    top.pendingKey = undefined;
    top.pendingDash = false;
    const value = this.openAt(line, indent, lineNo);
    if (dash) (top.node as TreeSeq).items.push(value);
    else (top.node as TreeMap).entries.set(key!, value);
  }

  /** Opens the block collection that starts at `indent` on this line (or reads a lone scalar root). */
  private openAt(line: string, indent: number, lineNo: number): TreeNode {
    if (isDash(line, indent)) {
      const seq: TreeSeq = { type: 'seq', items: [], line: lineNo, column: indent + 1 };
      const frame = this.push('seq', indent, seq);
      this.dashItem(frame, line, indent, lineNo);
      return seq;
    }
    if (findMapColon(line, indent) >= 0) {
      const map: TreeMap = { type: 'map', entries: new Map(), line: lineNo, column: indent + 1 };
      const frame = this.push('map', indent, map);
      this.entry(frame, line, indent, lineNo);
      return map;
    }
    // A scalar on its own line: the value of a key on the line above, or a bare scalar document.
    // Multi-line plain scalars are common in prose, rare in manifests: let the full parser decide.
    throw GIVE_UP;
  }

  private push(kind: 'map' | 'seq', indent: number, node: TreeMap | TreeSeq): Frame {
    const frame: Frame = {
      kind,
      indent,
      node,
      pendingKey: undefined,
      pendingLine: 0,
      pendingColumn: 0,
      pendingDash: false,
    };
    this.stack.push(frame);
    return frame;
  }

  private dashItem(frame: Frame, line: string, indent: number, lineNo: number): void {
    let at = indent + 1;
    while (line.charCodeAt(at) === 0x20) at++;
    if (at === line.length || line.charCodeAt(at) === 0x23) {
      if (at < line.length && at === indent + 1) throw GIVE_UP;
      frame.pendingDash = true;
      frame.pendingLine = lineNo;
      frame.pendingColumn = at + 1; // where the full parser places an empty item
      return;
    }
    const seq = frame.node as TreeSeq;
    if (isDash(line, at) || findMapColon(line, at) >= 0) {
      // A compact nested collection: `- name: app` or `- - a`.
      seq.items.push(this.openAt(line, at, lineNo));
      return;
    }
    seq.items.push(this.inlineValue(line, at, lineNo, indent, ''));
  }

  private entry(frame: Frame, line: string, indent: number, lineNo: number): void {
    const colon = findMapColon(line, indent);
    if (colon < 0) throw GIVE_UP;
    const key = readKey(line, indent, colon);
    const map = frame.node as TreeMap;
    if (map.entries.has(key)) throw GIVE_UP; // the full parser reports the duplicate
    let at = colon + 1;
    while (line.charCodeAt(at) === 0x20) at++;
    if (at === line.length || line.charCodeAt(at) === 0x23) {
      if (at < line.length && at === colon + 1) throw GIVE_UP;
      frame.pendingKey = key;
      frame.pendingLine = lineNo;
      frame.pendingColumn = indent + 1;
      return;
    }
    map.entries.set(key, this.inlineValue(line, at, lineNo, indent, key));
  }

  /** A value written on the same line as its key or dash. */
  private inlineValue(line: string, at: number, lineNo: number, parentIndent: number, key: string): TreeNode {
    const c = line.charCodeAt(at);
    if (c === 0x7c /* | */ || c === 0x3e /* > */) {
      // Block scalars directly in a sequence have subtler indentation rules: leave them to the full parser.
      if (key === '' || VALUE_KEYS.has(key)) throw GIVE_UP;
      if (!/^[|>][+-]?(?: +#.*)? *$/.test(line.slice(at))) throw GIVE_UP;
      this.blockParentIndent = parentIndent;
      this.blockSeenContent = false;
      // The body's text is never needed by extraction; only its extent is.
      return { type: 'scalar', text: '', plain: false, block: true, line: lineNo, column: at + 1 };
    }
    const cursor = { pos: at };
    const value = readInline(line, cursor, lineNo, false);
    expectLineEnd(line, cursor.pos);
    return value;
  }

  private resolvePending(frame: Frame): void {
    if (frame.pendingDash) {
      (frame.node as TreeSeq).items.push(emptyScalar(frame.pendingLine, frame.pendingColumn));
      frame.pendingDash = false;
    } else if (frame.pendingKey !== undefined) {
      (frame.node as TreeMap).entries.set(
        frame.pendingKey,
        emptyScalar(frame.pendingLine, frame.pendingColumn),
      );
      frame.pendingKey = undefined;
    }
  }

  private closePending(): void {
    for (const frame of this.stack) this.resolvePending(frame);
  }
}

function emptyScalar(line: number, column: number): TreeScalar {
  return { type: 'scalar', text: '', plain: true, line, column };
}

function isDash(line: string, at: number): boolean {
  if (line.charCodeAt(at) !== 0x2d) return false;
  const next = line.charCodeAt(at + 1);
  return Number.isNaN(next) || next === 0x20;
}

/**
 * The index of the `:` that makes this line (from `at`) a block map entry, or -1. Only simple keys
 * are recognized: a plain key without indicators, or a one-line quoted key.
 */
function findMapColon(line: string, at: number): number {
  const c = line.charCodeAt(at);
  if (c === 0x22 || c === 0x27) {
    const end = quotedEnd(line, at);
    if (end < 0) return -1;
    let i = end;
    while (line.charCodeAt(i) === 0x20) i++;
    return line.charCodeAt(i) === 0x3a && isSpaceOrEnd(line.charCodeAt(i + 1)) ? i : -1;
  }
  if (!canStartPlain(line, at, false)) return -1;
  for (let i = at; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (ch === 0x3a && isSpaceOrEnd(line.charCodeAt(i + 1))) return i;
    if (ch === 0x23 && line.charCodeAt(i - 1) === 0x20) return -1;
  }
  return -1;
}

function readKey(line: string, at: number, colon: number): string {
  const c = line.charCodeAt(at);
  if (c === 0x22 || c === 0x27) {
    const cursor = { pos: at };
    return (readQuoted(line, cursor, 0) as TreeScalar).text;
  }
  const key = line.slice(at, colon).trimEnd();
  if (key === '<<' || key.includes(' #')) throw GIVE_UP;
  return key;
}

function isSpaceOrEnd(c: number): boolean {
  return Number.isNaN(c) || c === 0x20;
}

/** YAML indicators that cannot start a plain scalar (or that need the full parser: `-`, `?`, `:`). */
function isIndicator(c: number): boolean {
  switch (c) {
    case 0x2d: // -
    case 0x3f: // ?
    case 0x3a: // :
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0x23: // #
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x27: // '
    case 0x22: // "
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
      return true;
    default:
      return false;
  }
}

/** `-`, `?` and `:` may start a plain scalar when a "safe" character follows (`--port=80`, `-1`). */
function canStartPlain(line: string, at: number, flow: boolean): boolean {
  const c = line.charCodeAt(at);
  if (Number.isNaN(c)) return false;
  if (!isIndicator(c)) return true;
  if (c !== 0x2d && c !== 0x3f && c !== 0x3a) return false;
  const next = line.charCodeAt(at + 1);
  return !(Number.isNaN(next) || next === 0x20 || (flow && isFlowIndicator(next)));
}

function isFlowIndicator(c: number): boolean {
  return c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
}

/** Index just past the closing quote of the quoted scalar at `at`, or -1 if it does not close on this line. */
function quotedEnd(line: string, at: number): number {
  const q = line.charCodeAt(at);
  for (let i = at + 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (q === 0x22 && c === 0x5c) return -1; // escapes: the full parser decodes them
    if (c === q) {
      if (q === 0x27 && line.charCodeAt(i + 1) === 0x27) {
        i++;
        continue;
      }
      return i + 1;
    }
  }
  return -1;
}

function readQuoted(line: string, cursor: { pos: number }, lineNo: number): TreeNode {
  const at = cursor.pos;
  const end = quotedEnd(line, at);
  if (end < 0) throw GIVE_UP;
  let text = line.slice(at + 1, end - 1);
  if (line.charCodeAt(at) === 0x27) text = text.replaceAll("''", "'");
  cursor.pos = end;
  return { type: 'scalar', text, plain: false, line: lineNo, column: at + 1 };
}

/** Reads one value (scalar or flow collection) at `cursor.pos`; `flow` when inside `[…]`/`{…}`. */
function readInline(line: string, cursor: { pos: number }, lineNo: number, flow: boolean): TreeNode {
  const at = cursor.pos;
  const c = line.charCodeAt(at);
  if (c === 0x22 || c === 0x27) return readQuoted(line, cursor, lineNo);
  if (c === 0x5b) return readFlowSeq(line, cursor, lineNo);
  if (c === 0x7b) return readFlowMap(line, cursor, lineNo);
  if (!canStartPlain(line, at, flow)) throw GIVE_UP;
  let i = at;
  let lastNonSpace = at;
  for (; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (ch === 0x3a) {
      const next = line.charCodeAt(i + 1);
      if (isSpaceOrEnd(next) || (flow && isFlowIndicator(next))) break;
    } else if (ch === 0x23 && line.charCodeAt(i - 1) === 0x20) {
      break;
    } else if (flow && isFlowIndicator(ch)) {
      break;
    }
    if (ch !== 0x20) lastNonSpace = i;
  }
  cursor.pos = i;
  return {
    type: 'scalar',
    text: line.slice(at, lastNonSpace + 1),
    plain: true,
    line: lineNo,
    column: at + 1,
  };
}

function skipSpaces(line: string, cursor: { pos: number }): void {
  while (line.charCodeAt(cursor.pos) === 0x20) cursor.pos++;
}

/**
 * Flow collections nested deeper than this go to the full parser, which works without recursion
 * limits of its own; no manifest nests `[[[…]]]` this far, and a hostile one must not overflow the stack.
 */
const MAX_FLOW_DEPTH = 64;

/** Counts flow nesting on the cursor; past the limit the document is the full parser's. */
function enterFlow(cursor: { pos: number; depth?: number }): void {
  cursor.depth = (cursor.depth ?? 0) + 1;
  if (cursor.depth > MAX_FLOW_DEPTH) throw GIVE_UP;
}

function leaveFlow(cursor: { pos: number; depth?: number }): void {
  cursor.depth = (cursor.depth ?? 1) - 1;
}

function readFlowSeq(line: string, cursor: { pos: number }, lineNo: number): TreeSeq {
  const seq: TreeSeq = { type: 'seq', items: [], line: lineNo, column: cursor.pos + 1 };
  enterFlow(cursor);
  cursor.pos++;
  for (;;) {
    skipSpaces(line, cursor);
    if (line.charCodeAt(cursor.pos) === 0x5d) {
      cursor.pos++;
      leaveFlow(cursor);
      return seq;
    }
    seq.items.push(readInline(line, cursor, lineNo, true));
    skipSpaces(line, cursor);
    const c = line.charCodeAt(cursor.pos);
    if (c === 0x2c) cursor.pos++;
    else if (c !== 0x5d) throw GIVE_UP; // `[a: b]`, an unclosed bracket, or junk
  }
}

function readFlowMap(line: string, cursor: { pos: number }, lineNo: number): TreeMap {
  const map: TreeMap = { type: 'map', entries: new Map(), line: lineNo, column: cursor.pos + 1 };
  enterFlow(cursor);
  cursor.pos++;
  for (;;) {
    skipSpaces(line, cursor);
    if (line.charCodeAt(cursor.pos) === 0x7d) {
      cursor.pos++;
      leaveFlow(cursor);
      return map;
    }
    const key = readInline(line, cursor, lineNo, true);
    if (key.type !== 'scalar' || key.text === '' || key.text === '<<') throw GIVE_UP;
    skipSpaces(line, cursor);
    if (line.charCodeAt(cursor.pos) !== 0x3a) throw GIVE_UP; // `{a}` and other rarities
    cursor.pos++;
    const afterColon = line.charCodeAt(cursor.pos);
    if (!(afterColon === 0x20 || afterColon === 0x2c || afterColon === 0x7d || key.plain === false))
      throw GIVE_UP;
    skipSpaces(line, cursor);
    let value: TreeNode;
    const c = line.charCodeAt(cursor.pos);
    if (c === 0x2c || c === 0x7d) value = emptyScalar(key.line, key.column);
    else value = readInline(line, cursor, lineNo, true);
    if (map.entries.has(key.text)) throw GIVE_UP;
    map.entries.set(key.text, value);
    skipSpaces(line, cursor);
    const next = line.charCodeAt(cursor.pos);
    if (next === 0x2c) cursor.pos++;
    else if (next !== 0x7d) throw GIVE_UP;
  }
}

/** After a value only spaces and a comment may follow. */
function expectLineEnd(line: string, pos: number): void {
  let i = pos;
  while (line.charCodeAt(i) === 0x20) i++;
  if (i === line.length) return;
  if (line.charCodeAt(i) === 0x23 && line.charCodeAt(i - 1) === 0x20) return;
  throw GIVE_UP;
}
