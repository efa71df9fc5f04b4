import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImageArchive } from '../../../src/adapters/build/index.js';

/** An OCI layout whose index.json names `digest`. */
function layout(digest: unknown, extra: (dir: string) => void = () => undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubefresh-layout-'));
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest }],
    }),
  );
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  extra(dir);
  return dir;
}

describe('--from-oci reads only what a layout may hold', () => {
  it.each([
    ['a digest that walks out of the layout', 'sha256:../../../../etc/hostname'],
    ['a digest naming a device', 'sha256:../../../../../dev/zero'],
    ['a digest of the wrong shape', 'sha256:abc'],
    ['no digest at all', 42],
  ])('%s is refused before any path is built', async (_what, digest) => {
    await expect(readImageArchive(layout(digest))).rejects.toMatchObject({
      code: 'BUILD_BAD_ARCHIVE',
      message: expect.stringMatching(/it names a blob by .*, expected sha256:<64 hex digits>$/),
    });
  });

  it('a blob that is a FIFO, or a link to a device, is refused without blocking', async () => {
    const hex = 'a'.repeat(64);
    const fifo = layout(`sha256:${hex}`, (dir) =>
      execFileSync('mkfifo', [join(dir, 'blobs', 'sha256', hex)]),
    );
    await expect(readImageArchive(fifo)).rejects.toMatchObject({
      message: expect.stringContaining('is not a regular file'),
    });
    const device = layout(`sha256:${hex}`, (dir) =>
      symlinkSync('/dev/zero', join(dir, 'blobs', 'sha256', hex)),
    );
    await expect(readImageArchive(device)).rejects.toMatchObject({
      message: expect.stringContaining('is not a regular file'),
    });
  });

  it('index.json that is not JSON gets its line and column, not "this is a bug"', async () => {
    const dir = layout('x');
    writeFileSync(join(dir, 'index.json'), '{"manifests": [\n  {"digest": sha256}]}');
    await expect(readImageArchive(dir)).rejects.toMatchObject({
      code: 'BUILD_BAD_ARCHIVE',
      message: expect.stringContaining(
        'index.json is not valid JSON at line 2, column 14: unexpected character',
      ),
    });
  });
});
