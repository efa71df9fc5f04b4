import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InputItem, loadLintConfig, readInputs } from '../../../src/adapters/fs/index.js';

let dir: string;

async function collect(
  paths: string[],
  options: { maxFileSize?: number; stdin?: string } = {},
): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of readInputs(paths, {
    cwd: dir,
    ...(options.maxFileSize ? { maxFileSize: options.maxFileSize } : {}),
    ...(options.stdin !== undefined ? { stdin: Readable.from([options.stdin]) } : {}),
  })) {
    out.push(item);
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubefresh-fs-'));
  await mkdir(join(dir, 'k8s/nested'), { recursive: true });
  await mkdir(join(dir, 'k8s/.git'), { recursive: true });
  await writeFile(join(dir, 'k8s/a.yaml'), 'a: 1\n');
  await writeFile(join(dir, 'k8s/b.yml'), 'b: 1\n');
  await writeFile(join(dir, 'k8s/nested/c.json'), '{"c": 1}\n');
  await writeFile(join(dir, 'k8s/notes.txt'), 'not a manifest\n');
  await writeFile(join(dir, 'k8s/.git/config.yaml'), 'hidden: 1\n');
  await writeFile(join(dir, 'binary.yaml'), Buffer.from([0x61, 0x3a, 0x00, 0x01, 0x02]));
  await writeFile(join(dir, 'latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
  await symlink(join(dir, 'k8s'), join(dir, 'k8s/nested/loop'));
  await symlink(join(dir, 'missing.yaml'), join(dir, 'k8s/dangling.yaml'));
  await symlink('self.yaml', join(dir, 'self.yaml'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readInputs', () => {
  it('walks directories recursively in sorted order, .yaml/.yml/.json only, skipping hidden ones and loops', async () => {
    const items = await collect(['k8s']);
    expect(items.map((i) => `${i.kind}:${i.file}`)).toEqual([
      'text:k8s/a.yaml',
      'text:k8s/b.yml',
      'error:k8s/dangling.yaml',
      'text:k8s/nested/c.json',
    ]);
  });

  it('reads stdin for -', async () => {
    expect(await collect(['-'], { stdin: 'kind: Pod\n' })).toEqual([
      { kind: 'text', file: '<stdin>', text: 'kind: Pod\n' },
    ]);
  });

  it('reports binary and non-UTF-8 files instead of reading them', async () => {
    const [binary, latin1] = await collect(['binary.yaml', 'latin1.yaml']);
    expect(binary).toMatchObject({ kind: 'skipped', reason: 'binary', file: 'binary.yaml' });
    expect(latin1).toMatchObject({ kind: 'skipped', reason: 'not-utf8', file: 'latin1.yaml' });
  });

  it('skips files and stdin over the size limit without reading them whole', async () => {
    const [file] = await collect(['k8s/a.yaml'], { maxFileSize: 3 });
    expect(file).toMatchObject({ kind: 'skipped', reason: 'too-large', size: 5 });
    const [stdin] = await collect(['-'], { maxFileSize: 3, stdin: 'kind: Pod\n' });
    expect(stdin).toMatchObject({ kind: 'skipped', reason: 'too-large' });
  });

  it('turns missing and unreadable paths into IO errors that quote the path', async () => {
    const [missing, loop] = await collect(['nope.yaml', 'self.yaml']);
    expect(missing).toMatchObject({ kind: 'error', file: 'nope.yaml' });
    expect(missing!.kind === 'error' && missing!.error.code).toBe('IO_NOT_FOUND');
    expect(missing!.kind === 'error' && missing!.error.message).toBe(
      'cannot read "nope.yaml": no such file or directory',
    );
    expect(loop!.kind === 'error' && loop!.error.code).toBe('IO_UNREADABLE');
    expect(loop!.kind === 'error' && loop!.error.message).toBe(
      'cannot read "self.yaml": too many levels of symbolic links',
    );
  });
});

describe('readInputs without permission', () => {
  it('reports a file without read permission as IO_PERMISSION_DENIED', async () => {
    const { chmod } = await import('node:fs/promises');
    await writeFile(join(dir, 'secret.yaml'), 'a: 1\n');
    await chmod(join(dir, 'secret.yaml'), 0o000);
    if (process.getuid?.() !== 0) {
      const [item] = await collect(['secret.yaml']);
      expect(item!.kind === 'error' && item!.error.message).toBe(
        'cannot read "secret.yaml": permission denied',
      );
      return;
    }
    // root reads everything: run the built CLI as an unprivileged user instead, as a user would meet it.
    const bin = join(import.meta.dirname, '../../../dist/cli/bin.js');
    if (!existsSync(bin)) {
      if (process.env.CI === 'true') throw new Error('dist/ is missing: .ci/run builds it with npm install');
      process.stderr.write('skipping the permission test as root: run npm run build first\n');
      return;
    }
    await chmod(dir, 0o755);
    const result = spawnSync(process.execPath, [bin, 'lint', 'secret.yaml'], {
      cwd: dir,
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: dir },
    });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('cannot read "secret.yaml": permission denied');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('loadLintConfig', () => {
  it('finds .kubefresh.yaml in a parent directory and validates it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kubefresh-config-'));
    try {
      await mkdir(join(root, 'deep/er'), { recursive: true });
      await writeFile(
        join(root, '.kubefresh.yaml'),
        'lint:\n  rules:\n    IMG005: warning\n  allowedRegistries: [ghcr.io]\n',
      );
      const loaded = await loadLintConfig(join(root, 'deep/er'));
      expect(loaded?.config).toEqual({ rules: { IMG005: 'warning' }, allowedRegistries: ['ghcr.io'] });
      await writeFile(join(root, 'bad.yaml'), 'lint:\n  rules:\n    IMG099: error\n');
      await expect(loadLintConfig(root, 'bad.yaml')).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message:
          'bad.yaml:3:5: "IMG099" is not a rule id; expected one of IMG001, IMG002, IMG003, IMG004, IMG005, IMG006, IMG007, IMG008, IMG009, IMG010, YAML001, YAML002, YAML003, FILE001, FILE002, FILE003',
      });
      await expect(loadLintConfig(root, 'absent.yaml')).rejects.toMatchObject({ code: 'CONFIG_UNREADABLE' });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
