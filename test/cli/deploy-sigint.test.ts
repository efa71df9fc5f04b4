import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../src/sim/cluster/index.js';
import { actions, appImage, crashingImage } from '../../src/sim/scenarios/index.js';
import { registryFlags } from '../pipeline/doctor/support.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');

/** Ctrl-C as a user sends it: SIGINT to a real `node dist/cli/bin.js deploy` process (`npm run build` first). */
describe.skipIf(!existsSync(BIN))('kubefresh deploy: SIGINT while waiting (built CLI)', () => {
  let cluster: SimCluster;
  const ns = 'sigint';

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 2, speed: 100 });
    const registry = cluster.registry!.name;
    const act = actions(cluster, ns);
    await act.namespace();
    await cluster.pushImage(`${registry}/sigint/web:v1`, appImage('v1'));
    await cluster.pushImage(`${registry}/sigint/web:broken`, crashingImage('v2', ['never comes up']));
    await act.deploy({ name: 'web', image: `${registry}/sigint/web:v1`, replicas: 2 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('stops waiting, exits 130, changes nothing beyond the applied image, prints resume and rollback commands', async () => {
    const registry = cluster.registry!.name;
    const before = cluster.store.get('deployments.apps', ns, 'web') as unknown as {
      metadata: { annotations: Record<string, string> };
    };
    const revision = Number(before.metadata.annotations['deployment.kubernetes.io/revision']);
    const args = [
      BIN,
      'deploy',
      'deployment/web',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '-n',
      ns,
      ...registryFlags(cluster),
      '--image',
      `${registry}/sigint/web`,
      '--no-build',
      '--tag',
      'broken',
      '--grace',
      '10m',
    ];
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const waiting = new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (/^ {2}wait /m.test(stdout)) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waiting;
    child.kill('SIGINT');
    const code = await exited;
    expect(stderr).toBe('');
    expect(code).toBe(130);
    expect(stdout).toContain('■ interrupted deployment/web: stopped; nothing further was changed');
    const lines = stdout.split('\n');
    const resume = lines[lines.indexOf('to resume the check:') + 1]!.trim();
    const undo = lines[lines.indexOf('to roll back:') + 1]!.trim();
    const insecure = registryFlags(cluster).filter((f) => !f.includes('='));
    expect(resume).toBe(
      `kubefresh deploy deployment/web -n ${ns} --image ${registry}/sigint/web --no-build --tag broken --kubeconfig ${cluster.kubeconfigPath} ${insecure.filter((f) => f !== '--resolve').join(' ')} --resolve registry.sim=127.0.0.1`,
    );
    expect(undo).toBe(
      `kubectl rollout undo deployment/web -n ${ns} --to-revision=${revision} --kubeconfig ${cluster.kubeconfigPath}`,
    );
    // The image was applied and nothing else: no rollback revision was made after the interrupt.
    await new Promise((r) => setTimeout(r, 200));
    const after = cluster.store.get('deployments.apps', ns, 'web') as unknown as {
      metadata: { annotations: Record<string, string> };
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(after.spec.template.spec.containers[0]!.image).toMatch(
      new RegExp(`^${registry}/sigint/web:broken@sha256:`),
    );
    expect(Number(after.metadata.annotations['deployment.kubernetes.io/revision'])).toBe(revision + 1);
  }, 30_000);
});
