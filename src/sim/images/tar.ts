/** One entry of a tar archive. Parent directories are added automatically. */
export interface TarEntry {
  /** Relative path with `/` separators, e.g. `app/server.js`; a trailing `/` makes a directory. */
  readonly path: string;
  readonly content?: string | Uint8Array;
  /** Default 0o644 for files, 0o755 for directories. */
  readonly mode?: number;
  /** Symlink target; makes the entry a symlink. */
  readonly linkTarget?: string;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function splitName(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  // ustar keeps up to 155 bytes of leading directories in `prefix`, split at a `/`
  for (let cut = path.indexOf('/'); cut >= 0; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new RangeError(`tar path "${path}" is too long for ustar (at most 255 bytes, split at a "/")`);
}

function header(path: string, size: number, mode: number, type: '0' | '2' | '5', link: string): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { name, prefix } = splitName(path);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(mode, 8), 100, 8, 'ascii');
  block.write(octal(0, 8), 108, 8, 'ascii'); // uid
  block.write(octal(0, 8), 116, 8, 'ascii'); // gid
  block.write(octal(size, 12), 124, 12, 'ascii');
  block.write(octal(0, 12), 136, 12, 'ascii'); // mtime: fixed, so equal input gives equal digests
  block.write('        ', 148, 8, 'ascii');
  block.write(type, 156, 1, 'ascii');
  block.write(link, 157, 100, 'utf8');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

/**
 * Writes a POSIX ustar archive: enough for image layers and archives (regular files, directories,
 * symlinks; owner root, mtime 0). The same entries always give the same bytes.
 */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  const seen = new Set<string>();
  const addDir = (dir: string, mode = 0o755) => {
    if (seen.has(dir)) return;
    const parent = dir.slice(0, dir.slice(0, -1).lastIndexOf('/') + 1);
    if (parent) addDir(parent);
    seen.add(dir);
    parts.push(header(dir, 0, mode, '5', ''));
  };
  for (const entry of entries) {
    const path = entry.path.replace(/^\/+/, '');
    if (!path || path.split('/').includes('..'))
      throw new RangeError(`tar path "${entry.path}" is not allowed`);
    const parent = path.slice(0, path.slice(0, -1).lastIndexOf('/') + 1);
    if (parent) addDir(parent);
    if (path.endsWith('/')) {
      addDir(path, entry.mode);
      continue;
    }
    if (entry.linkTarget !== undefined) {
      parts.push(header(path, 0, entry.mode ?? 0o777, '2', entry.linkTarget));
      continue;
    }
    const data =
      typeof entry.content === 'string' ? Buffer.from(entry.content) : Buffer.from(entry.content ?? []);
    parts.push(header(path, data.length, entry.mode ?? 0o644, '0', ''), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
