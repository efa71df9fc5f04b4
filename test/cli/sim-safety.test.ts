import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'dist/cli/bin.js');

function run(args: readonly string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** A raw request, with exactly the headers given (as a page or a local process could send). */
function send(url: string, method: string, headers: Record<string, string>, body = '') {
  return new Promise<number>((resolve, reject) => {
    const req = request(url, { method, headers, setHost: !('host' in headers) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The sim's admin endpoint and state file on a shared machine (built CLI). */
describe('kubefresh sim on a shared machine', () => {
  let dir: string;
  let env: Record<string, string>;
  let state: { adminUrl: string; adminToken: string; pid: number };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubefresh-sim-safety-'));
    env = { KUBEFRESH_SIM_DIR: dir, HOME: dir };
    const start = await run(['sim', 'start', '--detach', '--nodes', '1', '--no-registry'], env);
    expect(start.code, start.stderr).toBe(0);
    state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
  }, 60_000);
  afterAll(async () => {
    await run(['sim', 'stop'], env);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses stop requests without the secret, from a browser, or for another Host', async () => {
    const stop = `${state.adminUrl}/stop`;
    const auth = { authorization: `Bearer ${state.adminToken}` };
    // A web page's "simple" cross-site POST: text/plain, no credentials.
    expect(
      await send(stop, 'POST', { 'content-type': 'text/plain', origin: 'http://evil.example' }, 'x'),
    ).toBe(403);
    expect(await send(stop, 'POST', { 'content-type': 'text/plain' }, 'x')).toBe(401);
    expect(await send(stop, 'POST', { ...auth, 'sec-fetch-site': 'cross-site' })).toBe(403);
    // DNS rebinding: the right secret cannot help a request addressed to another name.
    expect(await send(stop, 'POST', { ...auth, host: 'evil.example' })).toBe(403);
    const status = await run(['sim', 'status'], env);
    expect(status.code).toBe(0);
  });

  it('sim start --kubeconfig will not replace an existing file without --force', async () => {
    const file = join(dir, 'my-kubeconfig');
    await writeFile(file, 'apiVersion: v1\nkind: Config\n# my clusters\n');
    const result = await run(['sim', 'start', '--kubeconfig', file], {
      ...env,
      KUBEFRESH_SIM_DIR: join(dir, 'other'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--kubeconfig "${file}" already exists`);
    expect(await readFile(file, 'utf8')).toContain('# my clusters');
  });

  it('a stale state file naming someone else’s live pid: stop leaves it alone, start is not blocked', async () => {
    const other = join(dir, 'stale');
    const bystander = spawn('sleep', ['60']);
    try {
      const stale = JSON.stringify({ ...state, pid: bystander.pid, adminToken: 'wrong' });
      await mkdir(other, { recursive: true });
      await writeFile(join(other, 'state.json'), stale);
      const stop = await run(['sim', 'stop'], { ...env, KUBEFRESH_SIM_DIR: other });
      expect(stop.code).toBe(0);
      expect(stop.stdout).toContain(`pid ${bystander.pid} is another process now; left alone`);
      expect(bystander.exitCode).toBeNull();
      expect(() => process.kill(bystander.pid!, 0)).not.toThrow();
      await writeFile(join(other, 'state.json'), stale);
      const start = await run(['sim', 'start', '--detach', '--nodes', '1', '--no-registry'], {
        ...env,
        KUBEFRESH_SIM_DIR: other,
      });
      expect(start.code, start.stderr).toBe(0);
      await run(['sim', 'stop'], { ...env, KUBEFRESH_SIM_DIR: other });
    } finally {
      bystander.kill();
    }
  }, 60_000);
});
