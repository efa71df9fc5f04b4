import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The result of one `ctr` command. */
export interface CtrResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A containerd of our own, in a temp dir, with `ctr` bound to its socket. */
export interface Containerd {
  /** The gRPC socket, for `ctr --address`. */
  readonly address: string;
  readonly dir: string;
  /** Runs `ctr --address SOCK [--namespace NS] ARGS…`; never throws on a non-zero exit. */
  ctr(args: readonly string[], options?: { namespace?: string }): Promise<CtrResult>;
  /** The daemon's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** Why containerd cannot be started here, or undefined when it can (root, containerd and ctr present). */
export function containerdUnavailable(
  containerd: string | undefined,
  ctr: string | undefined,
): string | undefined {
  if (!containerd || !ctr) return 'containerd or ctr is not installed';
  if (process.getuid?.() !== 0) return 'starting containerd needs root';
  return undefined;
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CtrResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { env, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function mountsUnder(dir: string): string[] {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[4] ?? '')
      .filter((mountPoint) => mountPoint.startsWith(`${dir}/`))
      .sort((a, b) => b.length - a.length);
  } catch {
    return [];
  }
}

/**
 * Starts containerd (as root) with its own config, root, state and socket under a temp dir, the CRI
 * plugin and the exotic snapshotters disabled, and the `native` snapshotter for unpacking (works on
 * any filesystem, including overlay-in-container). `stop()` kills it, unmounts and deletes the dir.
 */
export async function startContainerd(
  binaries: { containerd: string; ctr: string } = { containerd: 'containerd', ctr: 'ctr' },
): Promise<Containerd> {
  const dir = mkdtempSync(join(tmpdir(), 'kubefresh-containerd-'));
  const address = join(dir, 'containerd.sock');
  for (const sub of ['root', 'state']) mkdirSync(join(dir, sub));
  writeFileSync(
    join(dir, 'config.toml'),
    [
      'version = 2',
      `root = "${join(dir, 'root')}"`,
      `state = "${join(dir, 'state')}"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",',
      '  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",',
      '  "io.containerd.snapshotter.v1.aufs"]',
      '[grpc]',
      `  address = "${address}"`,
      '[ttrpc]',
      `  address = "${address}.ttrpc"`,
      '[debug]',
      `  address = "${join(dir, 'debug.sock')}"`,
      '',
    ].join('\n'),
  );
  let output = '';
  const child: ChildProcess = spawn(binaries.containerd, ['--config', join(dir, 'config.toml')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const env = { ...process.env, CONTAINERD_SNAPSHOTTER: 'native' };
  const ctr = (args: readonly string[], options: { namespace?: string } = {}) =>
    run(
      binaries.ctr,
      ['--address', address, ...(options.namespace ? ['--namespace', options.namespace] : []), ...args],
      env,
    );

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    for (const mountPoint of mountsUnder(dir)) await run('umount', ['-l', mountPoint], process.env);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`containerd exited (${child.exitCode}):\n${output}`);
    }
    if (existsSync(address) && (await ctr(['version'])).code === 0) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`containerd did not answer on ${address} within 15 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { address, dir, ctr, log: () => output, stop };
}
