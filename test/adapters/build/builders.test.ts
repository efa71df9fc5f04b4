import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuilder } from '../../../src/adapters/build/index.js';
import type { BuilderName } from '../../../src/ports/image-builder.js';

/**
 * docker and podman do not run here (no daemon, no podman), and buildah's real build is covered in
 * the deploy tests: these stand-ins on PATH record each command line, and write the archive where
 * `save`/`push` is told to, so what each builder is asked to do is held exactly.
 */
let dir: string;
let log: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubefresh-builders-'));
  log = join(dir, 'calls.log');
  for (const tool of ['docker', 'podman', 'buildah']) {
    const script = join(dir, tool);
    await writeFile(
      script,
      [
        '#!/bin/sh',
        `echo "${tool} $*" >> "${log}"`,
        // The archive target: after -o, or buildah's oci-archive:PATH.
        'prev=""',
        'for a in "$@"; do',
        '  case "$a" in oci-archive:*) echo archive > "${a#oci-archive:}";; esac',
        '  [ "$prev" = "-o" ] && echo archive > "$a"',
        '  prev="$a"',
        'done',
        'exit 0',
        '',
      ].join('\n'),
    );
    await chmod(script, 0o755);
  }
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function calls(): Promise<string[]> {
  return (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('builders', () => {
  const cases: [BuilderName, (archive: string) => string[]][] = [
    [
      'docker',
      (archive) => [
        'docker build -t kf/app:1 -f /src/app/Dockerfile.prod /src/app',
        `docker save -o ${archive} kf/app:1`,
        'docker rmi kf/app:1',
      ],
    ],
    [
      'podman',
      (archive) => [
        'podman build -t kf/app:1 -f /src/app/Dockerfile.prod /src/app',
        `podman save --format oci-archive -o ${archive} kf/app:1`,
        'podman rmi kf/app:1',
      ],
    ],
    [
      'buildah',
      (archive) => [
        'buildah --storage-driver vfs bud --isolation chroot -t kf/app:1 -f /src/app/Dockerfile.prod /src/app',
        `buildah --storage-driver vfs push kf/app:1 oci-archive:${archive}`,
        'buildah --storage-driver vfs rmi kf/app:1',
      ],
    ],
  ];
  for (const [name, expected] of cases) {
    it(`${name}: builds, exports an archive, and removes both afterwards`, async () => {
      const builder = createBuilder(name, { env: { PATH: `${dir}:/usr/bin:/bin` } });
      expect(builder.name).toBe(name);
      await builder.build({ context: '/src/app', file: 'Dockerfile.prod', localName: 'kf/app:1' });
      const archive = await builder.exportArchive('kf/app:1');
      expect(await readFile(archive.path, 'utf8')).toBe('archive\n');
      await archive.remove();
      expect(await exists(archive.path)).toBe(false);
      expect(await calls()).toEqual(expected(archive.path));
    });
  }

  it('a failing builder is a BUILD_FAILED error quoting the command and its last output', async () => {
    await writeFile(
      join(dir, 'docker'),
      '#!/bin/sh\necho "step 1/2"\necho "no space left on device" >&2\nexit 1\n',
    );
    const builder = createBuilder('docker', { env: { PATH: `${dir}:/usr/bin:/bin` } });
    await expect(builder.build({ context: '/src/app', localName: 'kf/app:1' })).rejects.toMatchObject({
      code: 'BUILD_FAILED',
      message: expect.stringMatching(
        /^docker build -t kf\/app:1 \/src\/app exited with 1:\n.*no space left on device/s,
      ),
    });
    await expect(builder.exportArchive('kf/app:1')).rejects.toMatchObject({ code: 'BUILD_FAILED' });
  });
});
