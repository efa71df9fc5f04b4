import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKubeconfig } from '../../src/sim/apiserver/index.js';
import { findTool } from './tools.js';

const VERSIONED_DIR = '/usr/lib/google-cloud-sdk/bin';

/**
 * The kubectl binary for a minor version: `'1.32'` is `kubectl` on PATH, others are the
 * `kubectl.1.NN` clients installed beside it. Missing: undefined, or a failure under CI=true.
 */
export function kubectlBinary(version?: string): string | undefined {
  if (!version) return findTool('kubectl');
  const path = join(VERSIONED_DIR, `kubectl.${version}`);
  if (existsSync(path)) return path;
  if (process.env.CI === 'true') throw new Error(`required tool "${path}" is not installed (CI=true)`);
  process.stderr.write(`skipping tests that need kubectl ${version}: ${path} not found\n`);
  return undefined;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A kubectl bound to one server through its own kubeconfig and cache directory. */
export interface Kubectl {
  readonly kubeconfig: string;
  run(args: readonly string[], options?: { stdin?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** Like `run`, but throws with stderr when kubectl exits non-zero. */
  ok(args: readonly string[], options?: { stdin?: string }): Promise<string>;
  dispose(): Promise<void>;
}

/** Writes a kubeconfig for `server` into a fresh temp dir and returns a runner for `binary`. */
export async function kubectlFor(server: string, binary: string): Promise<Kubectl> {
  const dir = await mkdtemp(join(tmpdir(), 'kubefresh-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, { server, token: 'sim-token' });
  const run = (args: readonly string[], options: { stdin?: string; timeoutMs?: number } = {}) =>
    new Promise<KubectlResult>((resolve) => {
      const child = execFile(
        binary,
        [...args],
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: dir,
            KUBECONFIG: kubeconfig,
            KUBECACHEDIR: join(dir, 'cache'),
          },
          timeout: options.timeoutMs ?? 20_000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (options.stdin !== undefined) child.stdin?.end(options.stdin);
      else child.stdin?.end();
    });
  return {
    kubeconfig,
    run,
    async ok(args, options) {
      const result = await run(args, options);
      if (result.code !== 0)
        throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return result.stdout;
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
