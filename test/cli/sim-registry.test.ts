import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

  it('sim node registries applies the mirror doctor prints, and the stuck pod then pulls', async () => {
    const port = registry.slice(registry.indexOf(':') + 1);
    const push = await kf('sim', 'image', 'push', `${registry}/mirrored:v1`, '--app-version', 'v1');
    expect(push.code, push.stderr).toBe(0);
    // localhost on the agent is the agent itself, where no registry listens: the pull fails there.
    const manifest = join(dir, 'mirrored.yaml');
    await writeFile(
      manifest,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: mirrored, namespace: default}',
        'spec:',
        '  replicas: 1',
        '  selector: {matchLabels: {app: mirrored}}',
        '  template:',
        '    metadata: {labels: {app: mirrored}}',
        '    spec:',
        '      nodeSelector: {kubernetes.io/hostname: k3s-agent-1}',
        `      containers: [{name: app, image: "localhost:${port}/mirrored:v1"}]`,
        '',
      ].join('\n'),
    );
    const k = (...args: string[]) => run(kubectl!, args, { KUBECONFIG: kubeconfig, HOME: dir });
    expect((await k('apply', '-f', manifest)).code).toBe(0);

    type Report = {
      workloads: { name: string; codes: string[] }[];
      findings: { code: string; workload?: { name: string }; remedy: { commands: string[] } }[];
    };
    const doctor = async (): Promise<Report> => {
      const result = await run(process.execPath, [BIN, 'doctor', '-n', 'default', '-o', 'json'], {
        ...env,
        KUBECONFIG: kubeconfig,
      });
      return JSON.parse(result.stdout) as Report;
    };
    const until = async (codes: (c: string[]) => boolean): Promise<Report> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const report = await doctor();
        const found = report.workloads.find((w) => w.name === 'mirrored')?.codes ?? [];
        if (codes(found) || Date.now() > deadline) return report;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const stuck = await until((codes) => codes.includes('PULL_UNREACHABLE'));
    const finding = stuck.findings.find((f) => f.code === 'PULL_UNREACHABLE');
    expect(finding, JSON.stringify(stuck.workloads)).toBeDefined();
    // As the user would: the snippet, with the placeholder filled in by a name every node reaches.
    const snippet = /<<'EOF'\n([\s\S]*?)\nEOF/.exec(finding!.remedy.commands[0]!)![1]!;
    expect(snippet).toContain('<host-every-node-reaches>');
    const yaml = snippet.replace('<host-every-node-reaches>', 'registry.sim');
    const file = join(dir, 'registries.yaml');
    await writeFile(file, `${yaml}\n`);

    const applied = await kf('sim', 'node', 'registries', file);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toMatch(/^registries\.yaml applied on k3s-server, k3s-agent-1;/);
    const healed = await until((codes) => codes.includes('OK_CURRENT'));
    expect(healed.workloads.find((w) => w.name === 'mirrored')?.codes).toContain('OK_CURRENT');

    // A node name that does not exist is refused before any node changes.
    const typo = await kf('sim', 'node', 'registries', file, 'k3s-agent-1', 'k3s-agnet-2');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('error: no node named "k3s-agnet-2" (nodes: k3s-server, k3s-agent-1)');

    // A file K3s would refuse is refused here too, naming the key, and changes nothing.
    await writeFile(file, 'mirrors:\n  x:\n    endpoint: "http://a"\n');
    const refused = await kf('sim', 'node', 'registries', file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error: ${file}: mirrors."x".endpoint must be a list of URLs`);
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
