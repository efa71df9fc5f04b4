import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** What a running `kubefresh sim start` leaves behind so `sim status|stop|node` can find it. */
export interface SimState {
  readonly pid: number;
  readonly apiUrl: string;
  readonly kubeconfigPath: string;
  /** The cluster process's own admin endpoint (node images, stop). */
  readonly adminUrl: string;
  /** The admin endpoint's secret; the state file is readable by its owner only. */
  readonly adminToken: string;
  readonly registry: { readonly name: string; readonly localName: string; readonly url: string } | null;
  readonly nodes: readonly { readonly name: string; readonly role: string; readonly architecture: string }[];
  readonly speed: number;
  readonly startedAt: string;
  /** Where a detached cluster writes its output. */
  readonly logFile?: string;
}

/**
 * The directory for the state file, the default kubeconfig and a detached cluster's log:
 * `$KUBEFRESH_SIM_DIR`, else `$XDG_STATE_HOME/kubefresh/sim`, else `~/.local/state/kubefresh/sim`.
 */
export function simStateDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.KUBEFRESH_SIM_DIR) return env.KUBEFRESH_SIM_DIR;
  const base = env.XDG_STATE_HOME || join(env.HOME || '/tmp', '.local', 'state');
  return join(base, 'kubefresh', 'sim');
}

export const stateFile = (dir: string): string => join(dir, 'state.json');

export async function writeSimState(dir: string, state: SimState): Promise<void> {
  const path = stateFile(dir);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}

/** The recorded state, or undefined when there is none (or it is unreadable). */
export async function readSimState(dir: string): Promise<SimState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(dir), 'utf8')) as SimState;
  } catch {
    return undefined;
  }
}

export async function removeSimState(dir: string, pid?: number): Promise<void> {
  if (pid !== undefined) {
    const current = await readSimState(dir);
    if (current && current.pid !== pid) return; // another cluster took over the directory
  }
  await rm(stateFile(dir), { force: true });
}

/** Whether a process id is alive (signal 0 probes without killing). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
