import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
      { env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? tmpdir(), ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The built CLI (`npm run build` first) running a detached cluster that real kubectl uses. */
describe.skipIf(!existsSync(BIN) || !kubectl)(
  'kubefresh sim start --detach / status / stop (built CLI)',
  () => {
    let dir: string;
    let env: Record<string, string>;
    const kf = (...args: string[]) => run(process.execPath, [BIN, ...args], env);

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kubefresh-sim-cli-'));
      env = { KUBEFRESH_SIM_DIR: dir, HOME: dir };
    });
    afterAll(async () => {
      await kf('sim', 'stop');
      await rm(dir, { recursive: true, force: true });
    });

    it('starts in the background, serves kubectl with the printed kubeconfig, and stops', async () => {
      const start = await kf(
        'sim',
        'start',
        '--detach',
        '--speed',
        '50',
        '--nodes',
        '2',
        '--arch',
        'amd64,arm64',
      );
      expect(start.stderr).toBe('');
      expect(start.code).toBe(0);
      const exportLine = start.stdout.split('\n').find((l) => l.startsWith('export KUBECONFIG='))!;
      const kubeconfig = exportLine.slice('export KUBECONFIG='.length);
      expect(kubeconfig).toBe(join(dir, 'kubeconfig.yaml'));
      expect(start.stdout).toMatch(
        /Registry on k3s-server: push to 127\.0\.0\.1:\d+, pull as registry\.sim:\d+/,
      );

      const again = await kf('sim', 'start', '--detach');
      expect(again.code).toBe(3);
      expect(again.stderr).toContain('already running');

      const status = await kf('sim', 'status', '-o', 'json');
      expect(status.code).toBe(0);
      const state = JSON.parse(status.stdout) as {
        registry: { name: string };
        nodes: { name: string; architecture: string }[];
      };
      expect(state.nodes).toEqual([
        { name: 'k3s-server', role: 'server', architecture: 'amd64' },
        { name: 'k3s-agent-1', role: 'agent', architecture: 'arm64' },
      ]);

      const push = await kf(
        'sim',
        'image',
        'push',
        `${state.registry.name}/app:v1`,
        '--app-version',
        'v1',
        '--platform',
        'linux/amd64',
        '--platform',
        'linux/arm64',
      );
      expect(push.code).toBe(0);
      const digest = /sha256:[0-9a-f]{64}/.exec(push.stdout)![0];

      const k = (...args: string[]) => run(kubectl!, args, { KUBECONFIG: kubeconfig, HOME: dir });
      expect((await k('get', 'nodes', '-o', 'wide')).stdout).toMatch(
        /k3s-server\s+Ready\s+control-plane,master/,
      );
      expect(
        (await k('create', 'deployment', 'web', `--image=${state.registry.name}/app:v1`, '--replicas=2'))
          .code,
      ).toBe(0);
      expect((await k('rollout', 'status', 'deployment/web', '--timeout=30s')).stdout).toContain(
        'successfully rolled out',
      );
      const ids = (await k('get', 'pods', '-o', 'jsonpath={.items[*].status.containerStatuses[*].imageID}'))
        .stdout;
      expect(ids.split(' ')).toEqual([
        `${state.registry.name}/app@${digest}`,
        `${state.registry.name}/app@${digest}`,
      ]);

      const images = await kf('sim', 'node', 'images', 'k3s-agent-1', '-o', 'json');
      expect(JSON.parse(images.stdout)[0].repoDigests).toEqual([`${state.registry.name}/app@${digest}`]);
      const imported = await kf('sim', 'node', 'import', 'k3s-server', 'app:dev');
      expect(imported.stdout).toMatch(/imported app:dev on k3s-server: sha256:/);
      expect((await kf('sim', 'node', 'images', 'k3s-server')).stdout).toContain('docker.io/library/app:dev');
      expect((await kf('sim', 'node', 'rmi', 'k3s-server', 'app:dev')).code).toBe(0);
      const missing = await kf('sim', 'node', 'images', 'k3s-agent-9');
      expect(missing.code).toBe(3);
      expect(missing.stderr).toContain('no node named "k3s-agent-9"');

      const stop = await kf('sim', 'stop');
      expect(stop.stdout).toMatch(/stopped the simulated cluster \(pid \d+\)/);
      expect((await k('get', 'nodes')).code).not.toBe(0);
      const after = await kf('sim', 'status');
      expect(after.code).toBe(3);
      expect(after.stderr).toContain('no simulated cluster is running');
      expect(await readFile(join(dir, 'sim.log'), 'utf8')).toContain('simulated cluster stopped');
    });
  },
);

describe('kubefresh sim (in-process)', () => {
  it('rejects bad flags with usage errors that quote the value', async () => {
    const nodes = await runKubefresh(['sim', 'start', '--nodes', 'zero'], {
      env: { KUBEFRESH_SIM_DIR: tmpdir() },
    });
    expect(nodes.code).toBe(2);
    expect(nodes.stderr).toContain('invalid --nodes "zero"');
    const speed = await runKubefresh(['sim', 'start', '--speed', '-1']);
    expect(speed.code).toBe(2);
    const rate = await runKubefresh(['sim', 'faults', '--error-rate', '2']);
    expect(rate.code).toBeGreaterThan(1);
  });

  it('has help with examples for each subcommand', async () => {
    for (const args of [
      ['sim'],
      ['sim', 'start'],
      ['sim', 'node', 'import'],
      ['sim', 'image', 'push'],
      ['sim', 'faults'],
    ]) {
      const help = await runKubefresh([...args, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Examples:');
    }
  });

  it('builds a synthetic image and prints its digest, the same for the same flags', async () => {
    const a = await runKubefresh([
      'sim',
      'image',
      'build',
      'app:v1',
      '--app-version',
      'v1',
      '--exit-code',
      '1',
    ]);
    const b = await runKubefresh([
      'sim',
      'image',
      'build',
      'app:v1',
      '--app-version',
      'v1',
      '--exit-code',
      '1',
    ]);
    const c = await runKubefresh(['sim', 'image', 'build', 'app:v1', '--app-version', 'v2']);
    expect(a.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('stops a foreground cluster when the signal fires (Ctrl-C)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubefresh-sim-fg-'));
    const controller = new AbortController();
    const running = runKubefresh(['sim', 'start', '--nodes', '1', '--no-registry'], {
      env: { KUBEFRESH_SIM_DIR: dir },
      signal: controller.signal,
    });
    const state = join(dir, 'state.json');
    while (!existsSync(state)) await new Promise((r) => setTimeout(r, 20));
    const status = await runKubefresh(['sim', 'status'], { env: { KUBEFRESH_SIM_DIR: dir } });
    expect(status.stdout).toContain('registry:   none');
    controller.abort();
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`export KUBECONFIG=${join(dir, 'kubeconfig.yaml')}`);
    expect(existsSync(state)).toBe(false);
    await rm(dir, { recursive: true, force: true });
  });
});
