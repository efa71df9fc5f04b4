/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts OSC 52 clipboard writes
 * and cursor moves), DEL, C1 controls (U+0080–U+009F, eight-bit CSI/OSC), and the Unicode
 * formatting characters that reorder or hide text (bidi overrides and isolates, zero-width spaces,
 * line and paragraph separators, the byte-order mark).
 */
const CLASS = '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ufeff]';
const CONTROL = new RegExp(CLASS, 'g');
const ANY_CONTROL = new RegExp(CLASS);

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** True when `text` holds a character a terminal would act on. */
export function hasControl(text: string): boolean {
  return ANY_CONTROL.test(text);
}

/**
 * `text` with every such character written as an escape (`\n`, `\x1b`, `\u202e`), so text from a
 * cluster or a manifest prints as what it is. The escapes are those of bash's `$'…'`.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (ch) => {
    const named = NAMED[ch];
    if (named !== undefined) return named;
    const code = ch.charCodeAt(0);
    // `\xHH` is a byte in bash's `$'…'`; above ASCII the character needs `\uHHHH` to stay itself.
    return code < 0x80
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
