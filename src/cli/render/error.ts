import { exitCodeForError, isKubefreshError, redact } from '../../errors/index.js';

/** How an error is shown to a user: the text for stderr and the exit code. */
export interface RenderedError {
  readonly text: string;
  readonly exitCode: number;
}

/**
 * The one place errors become words. Known errors print `error: <message>` and `hint: <hint>`;
 * anything else is a bug and says so. Stack traces appear only with `-v`. Everything is redacted.
 */
export function renderError(err: unknown, options: { verbose: boolean }): RenderedError {
  const lines: string[] = [];
  if (isKubefreshError(err)) {
    lines.push(`error: ${err.message}`);
    if (err.hint) lines.push(`hint: ${err.hint}`);
    if (options.verbose) {
      lines.push(`code: ${err.code}`);
      let cause: unknown = err.cause;
      while (cause !== undefined && cause !== null) {
        lines.push(`cause: ${cause instanceof Error ? cause.message : String(cause)}`);
        cause = cause instanceof Error ? cause.cause : undefined;
      }
    }
  } else {
    const message = err instanceof Error ? err.message : String(err);
    lines.push(`error: unexpected failure: ${message}`);
    lines.push('hint: this is a bug in kubefresh; run again with -v and report the output');
    if (options.verbose && err instanceof Error && err.stack) lines.push(err.stack);
  }
  return { text: `${redact(lines.join('\n'))}\n`, exitCode: exitCodeForError(err) };
}
