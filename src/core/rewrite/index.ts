/**
 * Rewriting manifests without reformatting them: a value is replaced by splicing new characters
 * into the exact span of its scalar, so everything else (comments, anchors and aliases, flow style,
 * key order, blank lines, CRLF line endings, a byte-order mark) stays byte for byte, and input with
 * nothing to change comes back identical.
 *
 * - Positions come from the manifest scanner (`core/manifest`): 1-based line and column in UTF-16
 *   code units, after any `&anchor` or `!tag`. The scalar's extent and quoting style are read from
 *   the text at that position, and its decoded value must equal what the scanner saw, or the edit is
 *   refused (a folded multi-line scalar, a block scalar, a position from another version of the text).
 * - The quoting style is kept: plain stays plain, `'single'` stays single (with `''` for a quote),
 *   `"double"` stays double (with `\"` and `\\`). When only the end of a value changes (a digest
 *   appended or replaced) the written prefix is kept as written, escapes included.
 * - One scalar reached through an anchor and its aliases is rewritten once; at the anchor, the only
 *   place its text lives.
 */
export {
  lineStarts,
  offsetAt,
  type ScalarSpan,
  type ScalarStyle,
  type SpanProblem,
  scalarAt,
} from './scalar.js';
export {
  type EditRejection,
  type EditResult,
  type RewriteResult,
  rewriteScalars,
  type ScalarEdit,
} from './splice.js';
