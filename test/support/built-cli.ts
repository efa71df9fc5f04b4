import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI (`npm install` builds it): tests that need a real process, signals and pipes run it. */
export const BIN = join(process.cwd(), 'dist/cli/bin.js');

export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  /** stdout and stderr so far, interleaved as they arrived. */
  readonly output: () => string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves once the output matches `pattern`. */
  readonly saw: (pattern: RegExp) => Promise<void>;
  /** The exit code (null when killed by a signal), once every stream is closed. */
  readonly exit: Promise<number | null>;
}

/** Starts `node dist/cli/bin.js ARGS` with a bare environment (PATH, and HOME where no config is). */
export function spawnKubefresh(args: readonly string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env },
  });
  let all = '';
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const seen = () => {
    for (const w of waiters.filter((w) => w.pattern.test(all))) w.resolve();
  };
  child.stdout.on('data', (d: Buffer) => {
    out += d;
    all += d;
    seen();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d;
    all += d;
    seen();
  });
  return {
    child,
    output: () => all,
    stdout: () => out,
    stderr: () => err,
    saw: (pattern) =>
      new Promise<void>((resolve) => {
        if (pattern.test(all)) resolve();
        else waiters.push({ pattern, resolve });
      }),
    exit: new Promise((resolve) => child.on('close', (code) => resolve(code))),
  };
}
