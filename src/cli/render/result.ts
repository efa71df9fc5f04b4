import { redact } from '../../errors/index.js';
import type { TextSink } from '../io.js';
import { writeData } from './terminal-sink.js';

/**
 * Writes a verb's final result in the chosen format: the JSON document (pretty), one `result` line
 * for `jsonl` streams (after the event lines), or the text rendering. Always redacted.
 */
export function writeResult(
  out: TextSink,
  format: 'text' | 'json' | 'jsonl',
  document: Readonly<Record<string, unknown>>,
  text: () => string,
): void {
  if (format === 'json') writeData(out, `${redact(JSON.stringify(document, null, 2))}\n`);
  else if (format === 'jsonl') writeData(out, `${redact(JSON.stringify({ type: 'result', ...document }))}\n`);
  else out.write(text());
}
