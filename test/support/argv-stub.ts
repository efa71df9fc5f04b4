import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One program run by a pasted command line: its name and arguments, as the shell passed them. */
export interface StubCall {
  readonly argv: readonly string[];
  /** True for a name that is not one of the stubs (the shell's command_not_found_handle caught it). */
  readonly unknown: boolean;
}

export interface PasteResult {
  /** `bash -n` accepted the text. */
  readonly parses: boolean;
  readonly calls: readonly StubCall[];
  /** Files the command left in its working directory (a payload's `touch PWNED`). */
  readonly created: readonly string[];
  readonly stderr: string;
}

/**
 * A sandbox in which a command line is run as a user would paste it into bash: every program it may
 * name is a stub that records its argv (NUL-separated, one file per call) and does nothing else;
 * PATH holds only the stubs, and any other name lands in `command_not_found_handle`, recorded too.
 */
export class ArgvSandbox {
  private readonly root = mkdtempSync(join(tmpdir(), 'kubefresh-argv-'));
  private readonly bin = join(this.root, 'bin');
  private readonly calls = join(this.root, 'calls');
  private readonly work = join(this.root, 'work');

  constructor(programs: readonly string[]) {
    for (const dir of [this.bin, this.calls, this.work]) mkdirSync(dir);
    const stub = join(this.root, 'argv-echo');
    writeFileSync(stub, '#!/bin/bash\nprintf \'%s\\0\' K "${0##*/}" "$@" > "$ARGV_DIR/$BASHPID.$RANDOM"\n');
    chmodSync(stub, 0o755);
    for (const program of programs) symlinkSync(stub, join(this.bin, program));
  }

  /** Runs `text` with bash (after `bash -n`), in a fresh working directory. */
  paste(text: string): PasteResult {
    for (const dir of [this.calls, this.work]) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
    }
    const env = { PATH: this.bin, ARGV_DIR: this.calls, LC_ALL: 'C.UTF-8', HOME: this.work };
    const check = spawnSync('/bin/bash', ['-n', '-c', text], { env, cwd: this.work, encoding: 'utf8' });
    if (check.status !== 0) return { parses: false, calls: [], created: [], stderr: check.stderr };
    const handler =
      'command_not_found_handle() { printf \'%s\\0\' U "$@" > "$ARGV_DIR/$BASHPID.$RANDOM"; return 127; }\n';
    const run = spawnSync('/bin/bash', ['-c', `${handler}${text}`], {
      env,
      cwd: this.work,
      encoding: 'utf8',
      input: '',
      timeout: 10_000,
    });
    const calls = readdirSync(this.calls).map((file): StubCall => {
      const words = readFileSync(join(this.calls, file), 'utf8').split('\0').slice(0, -1);
      return { unknown: words[0] === 'U', argv: words.slice(1) };
    });
    return { parses: true, calls, created: readdirSync(this.work), stderr: run.stderr };
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Strings that break out of naive quoting: substitutions, separators, quotes, controls, unicode. */
export const HOSTILE_STRINGS: readonly string[] = [
  '$(touch${IFS}PWNED)',
  '`touch PWNED`',
  'app:v1;touch${IFS}X;#',
  "it's",
  "'; touch PWNED; echo '",
  '"; touch PWNED; echo "',
  'a\ntouch PWNED',
  'a\rtouch PWNED',
  '\x1b]52;c;dG91Y2ggUFdORUQ=\x07',
  '\x1b[2J\x1b[H',
  'a\u202eb',
  '\u009b31m',
  'nul\0byte',
  '~root',
  '=ls',
  '*',
  '!!',
  '--help',
  '',
  ' ',
  '\\',
  '$HOME',
  '${PATH}',
  'a&&touch PWNED',
  'a|touch PWNED',
  '<(touch PWNED)',
  '>PWNED',
  'données',
  '日本語',
  '😀',
];
