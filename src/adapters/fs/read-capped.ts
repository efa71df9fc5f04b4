import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { KubefreshError } from '../../errors/index.js';

/**
 * The most a configuration file (kubeconfig, Docker config, CA bundle, lock file, `.kubefresh.yaml`)
 * may hold. Real ones are kilobytes; the limit only stops `/dev/zero` or a mistaken multi-gigabyte
 * path from filling memory.
 */
export const CONFIG_FILE_LIMIT = 16 * 1024 * 1024;

const CHUNK = 64 * 1024;

function tooLarge(what: string, path: string, limit: number): KubefreshError {
  return new KubefreshError(
    'IO_TOO_LARGE',
    `${what} "${path}" is larger than ${Math.round(limit / 1024 / 1024)} MiB; expected a small text file`,
    { hint: 'check the path: it may name a device, a disk image or the wrong file' },
  );
}

/**
 * Reads `path` as UTF-8, at most `limit` bytes, in chunks (so a device that never ends is stopped
 * at the limit). Errors opening or reading the file are thrown as Node raised them.
 */
export function readCappedSync(path: string, what: string, limit = CONFIG_FILE_LIMIT): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const read = readSync(fd, chunk, 0, CHUNK, null);
      if (read === 0) break;
      total += read;
      if (total > limit) throw tooLarge(what, path, limit);
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** {@link readCappedSync}, without blocking the event loop. */
export async function readCapped(path: string, what: string, limit = CONFIG_FILE_LIMIT): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooLarge(what, path, limit);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}
