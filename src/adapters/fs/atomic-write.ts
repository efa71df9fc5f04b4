import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KubefreshError } from '../../errors/index.js';

export interface AtomicWriteOptions {
  /** File mode for a new file. Default: 0o644. An existing file keeps its own mode. */
  readonly mode?: number;
  /** The rename step; injectable so tests can make the last step fail. Default: `fs.rename`. */
  readonly rename?: (from: string, to: string) => Promise<void>;
}

/**
 * Replaces `path` with `data` so that readers see the old content or the new, never a mix, and a
 * crash or failure at any step leaves the old file intact: the data goes to a temp file in the same
 * directory (same file system, so the rename is atomic), is flushed to disk (fsync), gets the old
 * file's mode, and is renamed over the original; the directory is then synced so the rename
 * itself survives a crash. A symlink is followed and its target replaced, so the link stays a link.
 * On failure the temp file is removed and an `IO_WRITE_FAILED` error quotes the path; temp files a
 * killed earlier run left beside the file are removed first.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  let target = path;
  let mode = options.mode ?? 0o644;
  try {
    target = await realpath(path);
    mode = (await stat(target)).mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw writeError(path, err);
  }
  const dir = dirname(target);
  await removeStaleTemps(dir, basename(target));
  const temp = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, mode); // explicit: the mode given to open is masked by the umask
    await (options.rename ?? rename)(temp, target);
    created = false;
  } catch (err) {
    if (created) await unlink(temp).catch(() => undefined);
    throw writeError(path, err);
  }
  await syncDirectory(dir);
}

/** A temp file this old was left by a run that was killed (kill -9, power loss) before its rename. */
const STALE_TEMP_MS = 60_000;

/** Removes the temp files a killed earlier write of `name` left beside it. */
async function removeStaleTemps(dir: string, name: string): Promise<void> {
  const prefix = `.${name}.`;
  const entries = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !/^[0-9a-f]{12}\.tmp$/.test(entry.slice(prefix.length))) continue;
    const path = join(dir, entry);
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && now - info.mtimeMs > STALE_TEMP_MS) await unlink(path).catch(() => undefined);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on directories; the rename has happened regardless.
  }
}

function writeError(path: string, err: unknown): KubefreshError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'no space left on device',
    EROFS: 'read-only file system',
    ENOENT: 'no such file or directory',
    EXDEV: 'the temp file is on another file system',
  };
  const reason = reasons[code ?? ''] ?? (err instanceof Error ? err.message : String(err));
  return new KubefreshError(
    'IO_WRITE_FAILED',
    `cannot write "${path}": ${reason}; the file was left as it was`,
    {
      hint: 'check the directory permissions and free space',
      cause: err,
      details: { file: path, ...(code ? { errno: code } : {}) },
    },
  );
}
