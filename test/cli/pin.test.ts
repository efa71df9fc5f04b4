import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildImage, pushImage } from '../../src/sim/images/index.js';
import { startRegistry } from '../../src/sim/registry/index.js';
import { type PinRegistry, startPinRegistry } from '../pipeline/pin/support.js';
import { runKubefresh } from '../support/cli.js';
import { freePort } from '../support/distribution.js';

let pin: PinRegistry;
let host: string;
let dir: string;

beforeAll(async () => {
  pin = await startPinRegistry();
  host = pin.reg.host;
});
afterAll(() => pin.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubefresh-pin-cli-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

function pod(name: string, ...images: string[]): string {
  const containers = images.map((image, i) => `  - name: c${i}\n    image: ${image}\n`).join('');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n${containers}`;
}

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return text;
}

const read = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('kubefresh pin --check', () => {
  it('exits 1 and lists each unpinned image with file:line:column', async () => {
    write('a.yaml', pod('a', `${host}/app:v1`, `${host}/app:v2@${pin.digests['app:v2']}`));
    write('b.yaml', pod('b', 'nginx'));
    const result = await runKubefresh(['pin', '--check', 'a.yaml', 'b.yaml'], { cwd: dir });
    expect(result).toEqual({
      code: 1,
      stdout:
        `a.yaml:8:12: ${host}/app:v1 is not pinned to a digest (Pod/a, container c0)\n` +
        'b.yaml:8:12: nginx is not pinned to a digest (Pod/b, container c0)\n' +
        '2 of 3 images not pinned; pin them with: kubefresh pin -w a.yaml b.yaml\n',
      stderr: '',
    });
  });

  it('exits 0 when every image carries a digest, and asks no registry', async () => {
    write('a.yaml', pod('a', `ghcr.io/acme/app:v1@${pin.digests['app:v1']}`));
    const result = await runKubefresh(['pin', '--check', '.'], { cwd: dir });
    expect(result).toEqual({ code: 0, stdout: 'all 1 image is pinned to digests\n', stderr: '' });
  });

  it('prints JSON with -o json', async () => {
    write('a.yaml', pod('a', 'nginx:1.27'));
    const result = await runKubefresh(['pin', '--check', '-o', 'json', 'a.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      unpinned: [
        {
          source: 'a.yaml',
          line: 8,
          column: 12,
          image: 'nginx:1.27',
          state: 'unpinned',
          workload: 'Pod/a',
          container: 'c0',
        },
      ],
      pinned: 0,
      failures: [],
      skipped: 0,
    });
  });

  it('exits 3 when an input cannot be read as YAML', async () => {
    write('bad.yaml', 'kind: Pod\nkind: Pod\n');
    const result = await runKubefresh(['pin', '--check', 'bad.yaml'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: bad\.yaml:2:1: invalid yaml: cannot read YAML: /);
  });
});

describe('kubefresh pin flags', () => {
  it.each([
    [['--check', '-w', 'a.yaml'], '--check changes nothing, so it cannot be combined with --write'],
    [['-w', '-'], '--write cannot rewrite stdin (-)'],
    [['--lock', 'l.json', '--from-lock', 'l.json', 'a.yaml'], '--lock and --from-lock cannot be combined'],
    [['-o', 'json', 'a.yaml'], '-o json needs --check or --write'],
  ])('rejects %j as a usage error', async (args, message) => {
    write('a.yaml', pod('a', 'nginx'));
    const result = await runKubefresh(['pin', ...args], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: ${message}`);
  });

  it('rejects a bad --timeout before doing anything', async () => {
    const result = await runKubefresh(['pin', '--timeout', 'soon', 'a.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a positive duration such as 30s, 500ms or 2m, got "soon"');
  });

  it('reports a missing input path as a runtime error naming it', async () => {
    const result = await runKubefresh(['pin', 'nope.yaml'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error: cannot read "nope.yaml": no such file or directory');
  });
});

describe('kubefresh pin to stdout', () => {
  it('prints several inputs as one YAML stream and leaves the files alone', async () => {
    const a = write('a.yaml', pod('a', `${host}/app:v1`));
    const b = write('b.yaml', `---\n${pod('b', `${host}/app:v2`)}`);
    write('c.json', '{"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "c"}}');
    const result = await runKubefresh(['pin', 'a.yaml', 'b.yaml', 'c.json'], { cwd: dir });
    expect(result).toEqual({
      code: 0,
      stdout:
        `${pod('a', `${host}/app:v1@${pin.digests['app:v1']}`)}---\n${pod('b', `${host}/app:v2@${pin.digests['app:v2']}`)}` +
        '---\n{"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "c"}}',
      stderr: '',
    });
    expect([read('a.yaml'), read('b.yaml')]).toEqual([a, b]);
  });
});

describe('kubefresh pin -w', () => {
  it('writes nothing at all when one image of one file fails', async () => {
    const a = write('a.yaml', pod('a', `${host}/app:v1`));
    const b = write('b.yaml', pod('b', `${host}/app:v2`, `${host}/app:gone`));
    const result = await runKubefresh(['pin', '-w', 'a.yaml', 'b.yaml'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `error: b.yaml:10:12: image "${host}/app:gone": not found: manifest "gone" not found in ${host}/app\n` +
        `hint: check the tag for typos and that it was pushed; list the tags with: skopeo list-tags docker://${host}/app\n` +
        'error: 1 of 3 images could not be pinned; nothing was written (--keep-going pins the images that resolve)\n',
    );
    expect(read('a.yaml')).toBe(a);
    expect(read('b.yaml')).toBe(b);
  });

  it('with --keep-going pins what resolves and still exits 3', async () => {
    write('a.yaml', pod('a', `${host}/app:v1`));
    write('b.yaml', pod('b', `${host}/app:v2`, `${host}/app:gone`));
    const result = await runKubefresh(['pin', '-w', '--keep-going', 'a.yaml', 'b.yaml'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error: 1 of 3 images could not be pinned; the others were pinned\n');
    expect(read('a.yaml')).toBe(pod('a', `${host}/app:v1@${pin.digests['app:v1']}`));
    expect(read('b.yaml')).toBe(pod('b', `${host}/app:v2@${pin.digests['app:v2']}`, `${host}/app:gone`));
  });

  it('reports the changes as JSON with -o json', async () => {
    write('a.yaml', pod('a', `${host}/app:v2`));
    const result = await runKubefresh(['pin', '-w', '-o', 'json', 'a.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      written: true,
      changes: [{ source: 'a.yaml', line: 8, column: 12, to: `${host}/app:v2@${pin.digests['app:v2']}` }],
      failures: [],
      images: 1,
    });
  });

  it('keeps a UTF-8 byte-order mark', async () => {
    const text = `\ufeff${pod('a', `${host}/app:v2`)}`;
    writeFileSync(join(dir, 'bom.yaml'), text);
    const result = await runKubefresh(['pin', '-w', 'bom.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(read('bom.yaml')).toBe(`\ufeff${pod('a', `${host}/app:v2@${pin.digests['app:v2']}`)}`);
  });
});

describe('kubefresh pin --lock and --from-lock', () => {
  it('pins the same output offline from the lock after the registry is gone', async () => {
    const own = await startPinRegistry();
    const input = write(
      'deploy.yaml',
      pod('d', `${own.reg.host}/app:v1`, `'${own.reg.host}/tools/busybox:1.36'`),
    );
    const online = await runKubefresh(['pin', '--lock', 'images.lock.json', 'deploy.yaml'], { cwd: dir });
    expect(online.code).toBe(0);
    expect(online.stdout).not.toBe(input);
    const lock = JSON.parse(read('images.lock.json')) as { images: Record<string, { digest: string }> };
    expect(Object.keys(lock.images)).toEqual([
      `${own.reg.host}/app:v1`,
      `${own.reg.host}/tools/busybox:1.36`,
    ]);
    await own.close();

    const offline = await runKubefresh(['pin', '--from-lock', 'images.lock.json', 'deploy.yaml'], {
      cwd: dir,
    });
    expect(offline).toEqual({ code: 0, stdout: online.stdout, stderr: '' });
    // Without the lock the registry is missed: the failure says so.
    const stopped = await runKubefresh(['pin', '--timeout', '2s', 'deploy.yaml'], { cwd: dir });
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toContain(
      `error: deploy.yaml:8:12: image "${own.reg.host}/app:v1": unreachable: cannot reach registry ${own.reg.host}`,
    );
  });

  it('rejects a lock file that is not one, quoting the problem', async () => {
    write('a.yaml', pod('a', 'nginx'));
    write('bad.lock.json', '{"apiVersion": "v1"}');
    const result = await runKubefresh(['pin', '--from-lock', 'bad.lock.json', 'a.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error: reading lock file "bad.lock.json": expected apiVersion "kubefresh.io/v1alpha1"',
    );
  });
});

describe('kubefresh pin registry failures', () => {
  it('says unauthorized, and never prints the password from Docker config', async () => {
    const locked = await startRegistry({ auth: { type: 'basic', users: { ci: 'hunter2-secret' } } });
    await pushImage(locked.registry, 'app', 'v1', buildImage());
    try {
      write('a.yaml', pod('a', `${locked.host}/app:v1`));
      const result = await runKubefresh(['pin', '-v', 'a.yaml'], { cwd: dir, env: { DOCKER_CONFIG: dir } });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        `error: a.yaml:8:12: image "${locked.host}/app:v1": unauthorized: registry ${locked.host} requires authentication for ${locked.host}/app (HTTP 401)\n`,
      );
      const auth = Buffer.from('ci:wrong-hunter3').toString('base64');
      write('config.json', JSON.stringify({ auths: { [locked.host]: { auth } } }));
      const wrong = await runKubefresh(['pin', '-v', 'a.yaml'], { cwd: dir, env: { DOCKER_CONFIG: dir } });
      expect(wrong.stderr).toContain('unauthorized: registry');
      expect(wrong.stderr).toContain('rejected the credentials');
      expect(wrong.stderr + wrong.stdout).not.toMatch(/hunter3|hunter2/);

      write(
        'config.json',
        JSON.stringify({
          auths: { [locked.host]: { auth: Buffer.from('ci:hunter2-secret').toString('base64') } },
        }),
      );
      const right = await runKubefresh(['pin', 'a.yaml'], { cwd: dir, env: { DOCKER_CONFIG: dir } });
      expect(right.code).toBe(0);
      expect(right.stdout).toContain(`${locked.host}/app:v1@sha256:`);
    } finally {
      await locked.close();
    }
  });

  it('says unreachable for a registry nobody listens on', async () => {
    const port = await freePort();
    write('a.yaml', pod('a', `127.0.0.1:${port}/app:v1`));
    const result = await runKubefresh(['pin', 'a.yaml'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `error: a.yaml:8:12: image "127.0.0.1:${port}/app:v1": unreachable: cannot reach registry 127.0.0.1:${port} for 127.0.0.1:${port}/app: connection refused`,
    );
  });
});
