import { escapeControl } from '../../core/shell/index.js';
import type { TextSink } from '../io.js';

/**
 * The escape sequences kubefresh's own renderers write: picocolors' bold, dim and the colours it
 * uses (with their resets), and the progress display's "cursor up N lines" and "erase below".
 */
const OWN_SEQUENCE = /\x1b\[(?:[0-9]|2[2-9]|3[0-9]|9[0-7])m|\x1b\[\d{1,3}F|\x1b\[J/y;

/**
 * A sink that lets no terminal control from outside reach the terminal: text from manifests and the
 * cluster (event messages, change-causes, names) may carry OSC 52 clipboard writes, cursor moves or
 * bidi overrides. Every control character except newline and tab is written as an escape (`\x1b`,
 * `\u202e`); only the sequences above pass. A JSON document keeps its value: JSON never holds a raw
 * C0 character, and the others become `\uXXXX` escapes that parse to the same string.
 */
export class TerminalSink implements TextSink {
  constructor(readonly raw: TextSink) {}

  write(text: string): unknown {
    return this.raw.write(sanitize(text));
  }
}

function sanitize(text: string): string {
  let out = '';
  let plainFrom = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    const control = ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) || ch >= 0x2000;
    if (!control || ch === 0x0a || ch === 0x09) continue;
    if (ch === 0x1b) {
      OWN_SEQUENCE.lastIndex = i;
      const own = OWN_SEQUENCE.exec(text);
      if (own !== null) {
        i += own[0].length - 1;
        continue;
      }
    }
    const escaped = escapeControl(text[i]!);
    if (escaped === text[i]) continue;
    out += text.slice(plainFrom, i) + (ch >= 0x80 ? `\\u${ch.toString(16).padStart(4, '0')}` : escaped);
    plainFrom = i + 1;
  }
  return plainFrom === 0 ? text : out + text.slice(plainFrom);
}

/** Writes `text` byte for byte: a file's content (`pin FILE` to stdout) or a JSON document. */
export function writeData(sink: TextSink, text: string): unknown {
  return (sink instanceof TerminalSink ? sink.raw : sink).write(text);
}
