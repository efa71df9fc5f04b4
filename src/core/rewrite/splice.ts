import {
  lineStarts,
  offsetAt,
  type ScalarSpan,
  type ScalarStyle,
  type SpanProblem,
  scalarAt,
} from './scalar.js';

/** Replace the scalar a YAML reader saw at `line:column` (value `expected`) with `replacement`. */
export interface ScalarEdit {
  /** 1-based line and column of the scalar, as the manifest scanner reports them. */
  readonly line: number;
  readonly column: number;
  /** The value the reader saw there; nothing is touched unless the text still says exactly this. */
  readonly expected: string;
  readonly replacement: string;
}

/** Why an edit was refused; the text is left as it was at that place. */
export type EditRejection =
  | SpanProblem
  /** What is written there does not decode to `expected` (a folded multi-line scalar, a stale position). */
  | 'value-mismatch'
  /** Two edits (through an anchor and its aliases) want different values for one scalar. */
  | 'conflict'
  /** The replacement cannot be written in the scalar's style without changing its meaning. */
  | 'unencodable';

export interface EditResult {
  readonly edit: ScalarEdit;
  /** `unchanged` when the replacement equals what is there. */
  readonly status: 'applied' | 'unchanged' | 'rejected';
  readonly reason?: EditRejection;
  readonly style?: ScalarStyle;
}

export interface RewriteResult {
  /** The new text; byte-identical to the input outside the edited scalars. */
  readonly text: string;
  /** One result per edit, in the order given. */
  readonly results: EditResult[];
}

/**
 * Splices replacements into `text` at each scalar's exact span, keeping its quoting style. Edits of
 * one scalar reached twice (an anchor and its aliases) apply once. Nothing else changes: comments,
 * anchors, flow style, key order, blank lines and line endings stay byte for byte.
 */
export function rewriteScalars(text: string, edits: readonly ScalarEdit[]): RewriteResult {
  const starts = lineStarts(text);
  const results: EditResult[] = new Array(edits.length);
  const bySpan = new Map<number, { span: ScalarSpan; indexes: number[] }>();
  edits.forEach((edit, i) => {
    const found = scalarAt(text, offsetAt(starts, text, edit.line, edit.column));
    if (typeof found === 'string') {
      results[i] = { edit, status: 'rejected', reason: found };
      return;
    }
    if (found.value !== edit.expected) {
      results[i] = { edit, status: 'rejected', reason: 'value-mismatch', style: found.style };
      return;
    }
    const group = bySpan.get(found.start);
    if (group) group.indexes.push(i);
    else bySpan.set(found.start, { span: found, indexes: [i] });
  });

  const splices: Array<{ start: number; end: number; raw: string }> = [];
  for (const { span, indexes } of bySpan.values()) {
    const wanted = new Set(indexes.map((i) => edits[i]!.replacement));
    let outcome: Omit<EditResult, 'edit'>;
    if (wanted.size > 1) {
      outcome = { status: 'rejected', reason: 'conflict', style: span.style };
    } else {
      const replacement = [...wanted][0]!;
      if (replacement === span.value) {
        outcome = { status: 'unchanged', style: span.style };
      } else {
        const raw = encodeLike(text.slice(span.start, span.end), span, replacement);
        if (raw === undefined) {
          outcome = { status: 'rejected', reason: 'unencodable', style: span.style };
        } else {
          splices.push({ start: span.start, end: span.end, raw });
          outcome = { status: 'applied', style: span.style };
        }
      }
    }
    for (const i of indexes) results[i] = { edit: edits[i]!, ...outcome };
  }

  if (splices.length === 0) return { text, results };
  splices.sort((a, b) => a.start - b.start);
  let out = '';
  let from = 0;
  for (const s of splices) {
    out += text.slice(from, s.start) + s.raw;
    from = s.end;
  }
  out += text.slice(from);
  return { text: out, results };
}

/**
 * The replacement written in the scalar's style. Where the value only changes at its end (a digest
 * appended or replaced), the written prefix is kept as it is; the result is always decoded again
 * and must read back as `replacement`.
 */
function encodeLike(written: string, span: ScalarSpan, replacement: string): string | undefined {
  const quote = span.style === 'plain' ? '' : written[0]!;
  const body = written.slice(quote.length, written.length - quote.length);
  let shared = 0;
  while (shared < span.value.length && span.value[shared] === replacement[shared]) shared++;
  const oldTail = span.value.slice(shared);
  const candidates: string[] = [];
  if (body.endsWith(oldTail)) {
    const tail = encodeBody(replacement.slice(shared), span.style);
    if (tail !== undefined) candidates.push(body.slice(0, body.length - oldTail.length) + tail);
  }
  const whole = encodeBody(replacement, span.style);
  // A plain scalar must not start with an indicator (`@`, `-`, `:`…): that would read differently.
  if (whole !== undefined && (span.style !== 'plain' || /^[A-Za-z0-9]/.test(whole))) candidates.push(whole);
  for (const candidate of candidates) {
    const raw = quote + candidate + quote;
    const back = scalarAt(raw, 0);
    if (typeof back !== 'string' && back.end === raw.length && back.value === replacement) return raw;
  }
  return undefined;
}

/** Characters a plain scalar may hold here without any chance of another reading. */
const PLAIN_SAFE = /^[A-Za-z0-9._:@/+=-]*$/;

function encodeBody(value: string, style: ScalarStyle): string | undefined {
  switch (style) {
    case 'plain':
      return PLAIN_SAFE.test(value) ? value : undefined;
    case 'single':
      return /[\n\r]/.test(value) ? undefined : value.replaceAll("'", "''");
    case 'double':
      // Control characters would need escapes this writer does not produce.
      return /[\x00-\x1f\x7f]/.test(value)
        ? undefined
        : value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  }
}
