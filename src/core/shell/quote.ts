import { escapeControl, hasControl } from './terminal.js';

/** A command as the words a shell passes to `execve`: `['kubectl', 'get', 'pods', '-n', ns]`. */
export type Argv = readonly string[];

/**
 * Words no shell expands. A leading `=` is left out (zsh's `=cmd` expands to a path), so are `~`
 * (home directory), globs, `$`, quotes, `#` and every kind of space.
 */
const BARE = /^[A-Za-z0-9_./:@+,%-][A-Za-z0-9_./:@=+,%-]*$/;

/**
 * One argv word as shell text that bash and zsh (and every POSIX shell, for words without control
 * characters) read back as exactly that word. No argv word can hold NUL, so a NUL is written as the
 * four characters `\x00`.
 */
export function shellQuote(text: string): string {
  const word = text.replaceAll('\0', '\\x00');
  if (BARE.test(word)) return word;
  if (hasControl(word)) return `$'${ansiC(word)}'`;
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** The body of a `$'…'` word: backslash, quote and every control character escaped. */
function ansiC(word: string): string {
  return escapeControl(word.replaceAll('\\', '\\\\').replaceAll("'", "\\'"));
}

/** A command line: each word quoted as needed, joined by spaces. */
export function shellCommand(argv: Argv): string {
  return argv.map(shellQuote).join(' ');
}

/**
 * A trailing `# …` comment for a rendered command. A newline in `text` would end the comment and
 * start a command, so every control character is escaped, newlines included.
 */
export function comment(text: string): string {
  return `# ${escapeControl(text)}`;
}
