import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kubefresh ARGS` in-process with captured streams, as a user's shell would see it. */
export async function runKubefresh(
  args: readonly string[],
  options: {
    stdin?: string;
    env?: Record<string, string>;
    cwd?: string;
    tty?: boolean;
    signal?: AbortSignal;
  } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = options.stdin === undefined ? new PassThrough() : Readable.from([options.stdin]);
  if (options.stdin === undefined) (stdin as PassThrough).end();
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin,
    env: { ...options.env },
    cwd: options.cwd ?? process.cwd(),
    stdoutIsTTY: options.tty ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { code, stdout, stderr };
}
