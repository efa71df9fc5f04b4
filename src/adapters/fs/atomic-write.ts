import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, open, realpath, rename, stat, unlink } from 'node:fs/promises';
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
 * On failure the temp file is removed and an `IO_WRITE_FAILED` error quotes the path.
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
