import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/adapters/fs/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubefresh-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces the content and keeps the file mode', async () => {
    const file = join(dir, 'deploy.yaml');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o640);
    await writeFileAtomic(file, 'new\r\n');
    expect(readFileSync(file, 'utf8')).toBe('new\r\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['deploy.yaml']);
  });

  it('creates a missing file with the default mode', async () => {
    const file = join(dir, 'images.lock.json');
    await writeFileAtomic(file, '{}\n');
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('writes through a symlink, so the link stays a link', async () => {
    const target = join(dir, 'real.yaml');
    const link = join(dir, 'link.yaml');
    writeFileSync(target, 'old\n');
    symlinkSync(target, link);
    await writeFileAtomic(link, 'new\n');
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(
      readdirSync(dir, { withFileTypes: true })
        .find((e) => e.name === 'link.yaml')
        ?.isSymbolicLink(),
    ).toBe(true);
  });

  it('leaves the original intact and no temp file behind when the rename fails', async () => {
    const file = join(dir, 'deploy.yaml');
    writeFileSync(file, 'original\n');
    const failingRename = async (): Promise<void> => {
      throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
    };
    await expect(writeFileAtomic(file, 'half-done\n', { rename: failingRename })).rejects.toMatchObject({
      code: 'IO_WRITE_FAILED',
      message: `cannot write "${file}": the temp file is on another file system; the file was left as it was`,
    });
    expect(readFileSync(file, 'utf8')).toBe('original\n');
    expect(readdirSync(dir)).toEqual(['deploy.yaml']);
  });

  it('fails with the path quoted when the directory does not exist', async () => {
    const file = join(dir, 'missing', 'x.yaml');
    await expect(writeFileAtomic(file, 'x')).rejects.toMatchObject({
      code: 'IO_WRITE_FAILED',
      message: `cannot write "${file}": no such file or directory; the file was left as it was`,
    });
  });
});
