import { spawn } from 'node:child_process';
import { KubefreshError } from '../../errors/index.js';

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Lines of a failed build's output kept for the error (the tail says what broke). */
const TAIL_LINES = 15;

/** Runs a program without a shell; resolves with its exit code and output (never rejects on exit codes). */
export function run(
  program: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') {
        reject(
          new KubefreshError('BUILD_INTERRUPTED', `${program} was stopped (interrupted)`, { cause: error }),
        );
        return;
      }
      reject(
        new KubefreshError(
          error.code === 'ENOENT' ? 'BUILD_TOOL_MISSING' : 'BUILD_FAILED',
          error.code === 'ENOENT'
            ? `"${program}" is not installed (not found on PATH)`
            : `cannot run ${program}: ${error.message}`,
          {
            hint: 'install docker, podman or buildah, or push an image built elsewhere with --from-oci / --from-tar',
            cause: error,
          },
        ),
      );
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs and throws `BUILD_FAILED` quoting the command and the tail of its output when it fails. */
export async function runChecked(
  program: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<RunResult> {
  const result = await run(program, args, options);
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-TAIL_LINES).join('\n');
    throw new KubefreshError(
      'BUILD_FAILED',
      `${program} ${args.join(' ')} exited with ${result.code}:\n${tail}`,
      {
        hint: 'fix the build error above; kubefresh changed nothing in the cluster',
        details: { program, exitCode: result.code },
      },
    );
  }
  return result;
}
