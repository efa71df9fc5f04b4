import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubefresh } from '../support/cli.js';
import { kubectlBinary } from '../support/kubectl.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const kubectl = kubectlBinary();

function run(file: string, args: readonly string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      file,
      [...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Host-side verbs reach a running `sim start` cluster's registry.sim with no --resolve or --insecure-registry. */
describe.skipIf(!existsSync(BIN) || !kubectl)('the sim registry from this machine, without flags', () => {
  let dir: string;
  let env: Record<string, string>;
  let registry: string;
  let kubeconfig: string;
  const kf = (...args: string[]) => run(process.execPath, [BIN, ...args], env);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubefresh-sim-registry-'));
    env = { KUBEFRESH_SIM_DIR: dir, HOME: dir };
    const start = await kf('sim', 'start', '--detach', '--speed', '100', '--nodes', '2');
    expect(start.code, start.stderr).toBe(0);
    kubeconfig = start.stdout
      .split('\n')
      .find((l) => l.startsWith('export KUBECONFIG='))!
      .slice(18);
    registry = (
      JSON.parse((await kf('sim', 'status', '-o', 'json')).stdout) as { registry: { name: string } }
    ).registry.name;
  }, 60_000);
  afterAll(async () => {
    await kf('sim', 'stop');
    await rm(dir, { recursive: true, force: true });
  });

  it('digest, deploy --no-build and doctor -A work with only KUBECONFIG set', async () => {
    expect(registry).toMatch(/^registry\.sim:\d+$/);
    const push = await kf('sim', 'image', 'push', `${registry}/web:v1`, '--app-version', 'v1');
    expect(push.code, push.stderr).toBe(0);
    const digest = /sha256:[0-9a-f]{64}/.exec(push.stdout)![0];

    const resolved = await kf('digest', `${registry}/web:v1`);
    expect(resolved.stderr).toBe('');
    expect(resolved.stdout).toContain(digest);

    const k = (...args: string[]) => run(kubectl!, args, { KUBECONFIG: kubeconfig, HOME: dir });
    expect((await k('create', 'deployment', 'web', `--image=${registry}/web:v1`, '--replicas=2')).code).toBe(
      0,
    );
    const deployed = await run(
      process.execPath,
      [BIN, 'deploy', 'deployment/web', '--image', `${registry}/web:v1`, '--no-build', '-o', 'json'],
      { ...env, KUBECONFIG: kubeconfig },
    );
    expect(deployed.stderr).toBe('');
    expect(JSON.parse(deployed.stdout)).toMatchObject({ outcome: 'verified' });

    const doctor = await run(process.execPath, [BIN, 'doctor', '-A', '-o', 'json'], {
      ...env,
      KUBECONFIG: kubeconfig,
    });
    expect(doctor.code, doctor.stderr).toBe(0);
    const report = JSON.parse(doctor.stdout) as { workloads: { name: string; codes: string[] }[] };
    expect(report.workloads.find((w) => w.name === 'web')?.codes).toEqual(['OK_PINNED']);
  }, 60_000);

  it('without a running sim the name is not mapped: registry.sim does not resolve', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'kubefresh-no-sim-'));
    try {
      const result = await runKubefresh(['digest', `${registry}/web:v1`, '--timeout', '2s'], {
        env: { KUBEFRESH_SIM_DIR: empty, HOME: empty },
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/registry\.sim/);
      expect(result.stdout).toBe('');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
