import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PinRegistry, startPinRegistry } from '../pipeline/pin/support.js';
import { runKubefresh } from '../support/cli.js';

let pin: PinRegistry;
let host: string;
let dir: string;

beforeAll(async () => {
  pin = await startPinRegistry();
  host = pin.reg.host;
});
afterAll(() => pin.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubefresh-pin-files-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

const pod = (image: string, padding = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${padding}spec:\n  containers:\n  - name: c\n    image: ${image}\n`;

describe('pin -w writes only what it may', () => {
  it('a symlink out of the directory, a read-only file and a hard-linked file are skipped and named', async () => {
    const k8s = join(dir, 'k8s');
    mkdirSync(k8s);
    const outside = join(dir, 'outside.yaml');
    writeFileSync(outside, pod(`${host}/app:v2`));
    symlinkSync(outside, join(k8s, 'link.yaml'));
    writeFileSync(join(k8s, 'locked.yaml'), pod(`${host}/app:v2`));
    chmodSync(join(k8s, 'locked.yaml'), 0o444);
    writeFileSync(join(k8s, 'shared.yaml'), pod(`${host}/app:v2`));
    linkSync(join(k8s, 'shared.yaml'), join(dir, 'other-name.yaml'));
    writeFileSync(join(k8s, 'plain.yaml'), pod(`${host}/app:v2`));
    const result = await runKubefresh(['pin', '-w', 'k8s'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`skipped "k8s/link.yaml": it is a link to "${outside}", outside "k8s"`);
    expect(result.stderr).toContain('skipped "k8s/locked.yaml": it is read-only (mode 0444)');
    expect(result.stderr).toContain(
      'skipped "k8s/shared.yaml": it has 2 hard links, which rewriting would break',
    );
    expect(readFileSync(outside, 'utf8')).toBe(pod(`${host}/app:v2`));
    expect(readFileSync(join(k8s, 'locked.yaml'), 'utf8')).toBe(pod(`${host}/app:v2`));
    expect(readFileSync(join(dir, 'other-name.yaml'), 'utf8')).toBe(pod(`${host}/app:v2`));
    expect(readFileSync(join(k8s, 'plain.yaml'), 'utf8')).toBe(
      pod(`${host}/app:v2@${pin.digests['app:v2']}`),
    );
  });

  it('a symlink inside the directory, and a file named directly, are rewritten', async () => {
    mkdirSync(join(dir, 'k8s'));
    writeFileSync(join(dir, 'k8s', 'real.yaml'), pod(`${host}/app:v2`));
    symlinkSync('real.yaml', join(dir, 'k8s', 'alias.yml'));
    const result = await runKubefresh(['pin', '-w', 'k8s'], { cwd: dir });
    expect(result.stderr).not.toContain('skipped');
    expect(readFileSync(join(dir, 'k8s', 'real.yaml'), 'utf8')).toContain('@sha256:');
  });

  it('stale temp files of a killed run are cleaned up, not tripped on', async () => {
    writeFileSync(join(dir, 'a.yaml'), pod(`${host}/app:v2`));
    const stale = join(dir, '.a.yaml.0123456789ab.tmp');
    writeFileSync(stale, 'half a file');
    utimesSync(stale, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const result = await runKubefresh(['pin', '-w', '.'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['a.yaml']);
  });

  it('pin FILE to stdout keeps a UTF-8 byte-order mark', async () => {
    writeFileSync(join(dir, 'bom.yaml'), `\ufeff${pod(`${host}/app:v2`)}`);
    const result = await runKubefresh(['pin', 'bom.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`\ufeff${pod(`${host}/app:v2@${pin.digests['app:v2']}`)}`);
  });
});

describe('pin --check fails on what it cannot check', () => {
  it.each([
    [
      'UTF-16',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pod('nginx'), 'utf16le')]),
      'it was not checked',
    ],
    ['Latin-1', Buffer.from(pod('caf\xe9:v1'), 'latin1'), 'is not valid UTF-8; it was not checked'],
  ])('a %s file: exit 3, named on stderr', async (_name, bytes, message) => {
    writeFileSync(join(dir, 'x.yaml'), bytes);
    const result = await runKubefresh(['pin', '--check', 'x.yaml'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toContain('1 input could not be checked');
  });

  it('a file over the size limit names pin’s own --max-file-size, and passes with it raised', async () => {
    writeFileSync(
      join(dir, 'big.yaml'),
      pod(
        `${host}/app:v2@${pin.digests['app:v2']}`,
        `  labels: {x: "${'y'.repeat(1_100_000)}"}\n`.replace('  labels', 'metadata2:\n  labels'),
      ),
    );
    const small = await runKubefresh(['pin', '--check', 'big.yaml', '--max-file-size', '1'], { cwd: dir });
    expect(small.code).toBe(3);
    expect(small.stderr).toContain('raise it with --max-file-size');
    const raised = await runKubefresh(['pin', '--check', 'big.yaml', '--max-file-size', '2'], { cwd: dir });
    expect(raised.code).toBe(0);
  });
});

describe('pin -w on a disk that fills up part-way', () => {
  const canMount = (() => {
    try {
      execFileSync('mount', ['--version'], { stdio: 'ignore' });
      return process.getuid?.() === 0;
    } catch {
      return false;
    }
  })();
  if (!canMount && process.env.CI !== 'true')
    process.stderr.write('skipping the full-disk test: needs root and mount\n');

  it.runIf(canMount || process.env.CI === 'true')(
    'names every file rewritten and writes no lock that disagrees',
    async () => {
      const mnt = join(dir, 'small');
      mkdirSync(mnt);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', mnt]);
      try {
        writeFileSync(join(mnt, 'a.yaml'), pod(`${host}/app:v2`));
        writeFileSync(
          join(mnt, 'b.yaml'),
          pod(`${host}/app:v1`, `  annotations: {pad: "${'x'.repeat(40_000)}"}\n`),
        );
        // Leave room for a's rewrite but not for b's.
        const free = Number(
          execFileSync('df', ['--output=avail', '-B1', mnt], { encoding: 'utf8' }).split('\n')[1],
        );
        writeFileSync(join(mnt, 'filler'), Buffer.alloc(Math.max(0, free - 24_000)));
        const result = await runKubefresh(['pin', '-w', 'a.yaml', 'b.yaml', '--lock', 'images.lock'], {
          cwd: mnt,
        });
        expect(result.code).toBe(3);
        expect(result.stderr).toContain('no space left on device');
        expect(result.stderr).toContain(
          'rewritten: a.yaml; not written: b.yaml; images.lock was not written',
        );
        expect(readFileSync(join(mnt, 'a.yaml'), 'utf8')).toContain('@sha256:');
        expect(readFileSync(join(mnt, 'b.yaml'), 'utf8')).not.toContain('@sha256:');
        expect(existsSync(join(mnt, 'images.lock'))).toBe(false);
        expect(readdirSync(mnt).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      } finally {
        execFileSync('umount', [mnt]);
      }
    },
  );
});
