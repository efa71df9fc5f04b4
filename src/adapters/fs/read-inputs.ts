import type { Dirent } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { KubefreshError } from '../../errors/index.js';

/** How `-` is named in findings. */
export const STDIN_NAME = '<stdin>';

/** Files larger than this are reported, not read. Default: 16 MiB. */
export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024;

/** Extensions read when walking a directory (files named explicitly are read whatever their name). */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/** How many leading bytes are checked for NUL to call a file binary (what git and grep do). */
const BINARY_SNIFF_BYTES = 8000;

export interface ReadInputsOptions {
  /** Relative paths resolve against this directory, and findings name files relative to it. */
  readonly cwd: string;
  /** Read for the path `-`. */
  readonly stdin?: NodeJS.ReadableStream;
  /** Default: {@link DEFAULT_MAX_FILE_SIZE}. */
  readonly maxFileSize?: number;
}

/** One input: its text, a reason it was not read as text, or an error reading it. */
export type InputItem =
  | {
      readonly kind: 'text';
      readonly file: string;
      readonly text: string;
      /** The bytes began with a UTF-8 byte-order mark (the text does not: the decoder drops it). */
      readonly bom?: boolean;
    }
  | {
      readonly kind: 'skipped';
      readonly file: string;
      readonly reason: 'binary' | 'not-utf8' | 'too-large';
      readonly message: string;
      readonly size?: number;
    }
  | { readonly kind: 'error'; readonly file: string; readonly error: KubefreshError };

/**
 * Yields every input named by `paths`, one at a time, so memory holds one file at a time: files,
 * directories (recursively, `.yaml`/`.yml`/`.json`, sorted, hidden directories skipped, symlink
 * loops visited once) and `-` for stdin. Never throws for a bad path: errors are yielded.
 */
export async function* readInputs(
  paths: readonly string[],
  options: ReadInputsOptions,
): AsyncGenerator<InputItem> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  for (const path of paths) {
    if (path === '-') {
      yield await readStdin(options.stdin, maxFileSize);
      continue;
    }
    const absolute = resolve(options.cwd, path);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(absolute);
    } catch (err) {
      yield { kind: 'error', file: path, error: ioError(path, err) };
      continue;
    }
    if (info.isDirectory()) {
      yield* walk(absolute, options.cwd, maxFileSize, new Set());
    } else {
      yield await readFileInput(absolute, displayName(absolute, options.cwd), maxFileSize);
    }
  }
}

async function* walk(
  dir: string,
  cwd: string,
  maxFileSize: number,
  seen: Set<string>,
): AsyncGenerator<InputItem> {
  let real: string;
  let entries: Dirent[];
  try {
    real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    yield { kind: 'error', file: displayName(dir, cwd), error: ioError(displayName(dir, cwd), err) };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(path);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch (err) {
        if (hasManifestExtension(entry.name)) {
          yield { kind: 'error', file: displayName(path, cwd), error: ioError(displayName(path, cwd), err) };
        }
        continue;
      }
    }
    if (isDir) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules')
        yield* walk(path, cwd, maxFileSize, seen);
    } else if (isFile && hasManifestExtension(entry.name)) {
      yield await readFileInput(path, displayName(path, cwd), maxFileSize);
    }
  }
}

function hasManifestExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

async function readFileInput(path: string, file: string, maxFileSize: number): Promise<InputItem> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > maxFileSize) return tooLarge(file, size, maxFileSize);
      // Read at most one byte past the limit: the file may grow between stat and read.
      const buffer = Buffer.allocUnsafe(Math.min(size, maxFileSize) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) {
          if (length > maxFileSize) return tooLarge(file, length, maxFileSize);
          break;
        }
      }
      return decode(file, buffer.subarray(0, length));
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { kind: 'error', file, error: ioError(file, err) };
  }
}

async function readStdin(stdin: NodeJS.ReadableStream | undefined, maxFileSize: number): Promise<InputItem> {
  if (stdin === undefined) return decode(STDIN_NAME, Buffer.alloc(0));
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      length += buffer.length;
      if (length > maxFileSize) return tooLarge(STDIN_NAME, length, maxFileSize, true);
      chunks.push(buffer);
    }
  } catch (err) {
    return { kind: 'error', file: STDIN_NAME, error: ioError(STDIN_NAME, err) };
  }
  return decode(STDIN_NAME, Buffer.concat(chunks, length));
}

function decode(file: string, bytes: Buffer): InputItem {
  const sniff = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) {
    return {
      kind: 'skipped',
      file,
      reason: 'binary',
      message: `"${file}" is a binary file (it contains NUL bytes); it was not checked`,
      size: bytes.length,
    };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return { kind: 'text', file, text, ...(bom ? { bom } : {}) };
  } catch {
    return {
      kind: 'skipped',
      file,
      reason: 'not-utf8',
      message: `"${file}" is not valid UTF-8; it was not checked`,
      size: bytes.length,
    };
  }
}

function tooLarge(file: string, size: number, limit: number, atLeast = false): InputItem {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return {
    kind: 'skipped',
    file,
    reason: 'too-large',
    message: `"${file}" is ${atLeast ? 'more than ' : ''}${mib(size)}, over the ${mib(limit)} limit; it was not checked (raise it with --max-file-size)`,
    size,
  };
}

/** Files inside the working directory are named relative to it, others by their absolute path. */
function displayName(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

/** A read failure as a user sees it: the path quoted, the reason in words, the errno code kept. */
export function ioError(file: string, err: unknown): KubefreshError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, [`IO_${string}`, string]> = {
    ENOENT: ['IO_NOT_FOUND', 'no such file or directory'],
    EACCES: ['IO_PERMISSION_DENIED', 'permission denied'],
    EPERM: ['IO_PERMISSION_DENIED', 'operation not permitted'],
    ELOOP: ['IO_UNREADABLE', 'too many levels of symbolic links'],
    EISDIR: ['IO_UNREADABLE', 'is a directory'],
    ENOTDIR: ['IO_NOT_FOUND', 'a part of the path is not a directory'],
    EMFILE: ['IO_UNREADABLE', 'too many open files'],
  };
  const [errorCode, reason] = reasons[code ?? ''] ?? [
    'IO_UNREADABLE',
    err instanceof Error ? err.message : String(err),
  ];
  return new KubefreshError(errorCode, `cannot read "${file}": ${reason}`, {
    hint:
      errorCode === 'IO_NOT_FOUND'
        ? 'check the path; use - to read from stdin'
        : 'check the file and its permissions',
    cause: err,
    details: { file, ...(code ? { errno: code } : {}) },
  });
}
