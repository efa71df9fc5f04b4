import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '../../../src/core/oci/index.js';
import {
  BEHAVIOUR_LABELS,
  blobsOf,
  buildImage,
  buildMultiPlatformImage,
  LABEL_EXIT_CODE,
  manifestsOf,
  parsePlatform,
  selectPlatform,
  writeTar,
} from '../../../src/sim/images/index.js';
import { sha256Digest } from '../../../src/sim/registry/index.js';
import { findTool } from '../../support/tools.js';

const tar = findTool('tar');

describe('buildImage', () => {
  it('gives equal digests for equal input and different ones when anything changes', () => {
    const spec = { labels: { [LABEL_EXIT_CODE]: '1' }, layers: [{ 'app/main.js': 'console.log(1)\n' }] };
    expect(buildImage(spec).digest).toBe(buildImage(spec).digest);
    expect(buildImage({ ...spec, labels: { [LABEL_EXIT_CODE]: '0' } }).digest).not.toBe(
      buildImage(spec).digest,
    );
    expect(buildImage({ ...spec, layers: [{ 'app/main.js': 'console.log(2)\n' }] }).digest).not.toBe(
      buildImage(spec).digest,
    );
  });

  it('writes a config with labels, env, entrypoint, cmd, platform and the layers diff_ids', () => {
    const image = buildImage({
      platform: 'linux/arm64/v8',
      labels: { a: 'b' },
      env: { PORT: '8080' },
      entrypoint: ['/app'],
      cmd: ['--serve'],
      workingDir: '/srv',
      layers: [{ 'a.txt': 'a' }, { 'b.txt': 'b' }],
    });
    const config = JSON.parse(image.config.bytes.toString()) as { rootfs: { diff_ids: string[] } };
    expect(config).toMatchObject({
      architecture: 'arm64',
      variant: 'v8',
      os: 'linux',
      config: {
        Env: ['PORT=8080'],
        Entrypoint: ['/app'],
        Cmd: ['--serve'],
        WorkingDir: '/srv',
        Labels: { a: 'b' },
      },
      rootfs: { type: 'layers' },
    });
    expect(config.rootfs.diff_ids).toEqual(image.layers.map((l) => sha256Digest(gunzipSync(l.bytes))));
    expect(image.config.digest).toBe(sha256Digest(image.config.bytes));
  });

  it('writes a manifest whose descriptors match the blobs, and whose digest is of its bytes', () => {
    const image = buildImage({ format: 'docker' });
    const manifest = JSON.parse(image.bytes.toString()) as {
      config: unknown;
      layers: { mediaType: string }[];
    };
    expect(image.mediaType).toBe(MEDIA_TYPES.dockerManifest);
    expect(manifest.config).toEqual({
      mediaType: MEDIA_TYPES.dockerConfig,
      digest: image.config.digest,
      size: image.config.size,
    });
    expect(manifest.layers[0]?.mediaType).toBe(MEDIA_TYPES.dockerLayerGzip);
    expect(image.digest).toBe(sha256Digest(image.bytes));
    expect(image.size).toBe(image.bytes.length);
  });

  it('builds an index with one child per platform', () => {
    const index = buildMultiPlatformImage({ labels: { x: 'y' } }, [
      'linux/amd64',
      'linux/arm64/v8',
      'linux/arm/v7',
    ]);
    const body = JSON.parse(index.bytes.toString()) as {
      mediaType: string;
      manifests: { platform: unknown; digest: string }[];
    };
    expect(body.mediaType).toBe(MEDIA_TYPES.ociIndex);
    expect(body.manifests.map((m) => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
      { architecture: 'arm', os: 'linux', variant: 'v7' },
    ]);
    expect(new Set(index.manifests.map((m) => m.digest)).size).toBe(3);
    expect(selectPlatform(index, 'linux/arm64')?.digest).toBe(body.manifests[1]!.digest);
    expect(selectPlatform(index, 'windows/amd64')).toBeUndefined();
    expect(manifestsOf(index).at(-1)).toBe(index);
    expect(blobsOf(index)).toHaveLength(6);
  });

  it('rejects a malformed platform, quoting it', () => {
    expect(() => parsePlatform('linux')).toThrow('platform "linux" is not of the form os/arch[/variant]');
  });

  it('names every behaviour label under io.kubefresh.sim.', () => {
    expect(BEHAVIOUR_LABELS.length).toBeGreaterThanOrEqual(6);
    for (const label of BEHAVIOUR_LABELS) expect(label).toMatch(/^io\.kubefresh\.sim\.[a-z-]+$/);
  });
});

describe.skipIf(!tar)('writeTar', () => {
  it('writes archives GNU tar reads back: files, parent dirs, long paths, symlinks, modes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubefresh-tar-'));
    try {
      const longPath = `${'deep/'.repeat(30)}file.txt`;
      const archive = writeTar([
        { path: 'app/server.js', content: 'hello' },
        { path: 'bin/run', content: '#!/bin/sh\n', mode: 0o755 },
        { path: longPath, content: 'long' },
        { path: 'app/link', linkTarget: 'server.js' },
        { path: 'empty/' },
      ]);
      expect(archive.length % 512).toBe(0);
      writeFileSync(join(dir, 'a.tar'), archive);
      const listing = execFileSync(tar!, ['-tvf', join(dir, 'a.tar')], { encoding: 'utf8' });
      expect(listing).toMatch(/^drwxr-xr-x 0\/0 .* app\/$/m);
      expect(listing).toMatch(/^-rwxr-xr-x 0\/0 .* bin\/run$/m);
      expect(listing).toMatch(/app\/link -> server\.js$/m);
      execFileSync(tar!, ['-xf', join(dir, 'a.tar'), '-C', dir]);
      expect(readFileSync(join(dir, 'app/server.js'), 'utf8')).toBe('hello');
      expect(readFileSync(join(dir, longPath), 'utf8')).toBe('long');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses paths that escape the archive root', () => {
    expect(() => writeTar([{ path: '../etc/passwd', content: 'x' }])).toThrow(
      'tar path "../etc/passwd" is not allowed',
    );
  });
});
