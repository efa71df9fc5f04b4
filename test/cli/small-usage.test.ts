import { chmodSync, chownSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../src/sim/cluster/index.js';
import { actions, appImage } from '../../src/sim/scenarios/index.js';
import { registryFlags } from '../pipeline/doctor/support.js';
import { runKubefresh } from '../support/cli.js';

describe('small usage mistakes are said, with exit 2 or 3', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 1, speed: 100 });
    const act = actions(cluster, 'small');
    await act.namespace();
    await cluster.pushImage(`${cluster.registry!.name}/s/web:v1`, appImage('v1'));
    await act.deploy({ name: 'web', image: `${cluster.registry!.name}/s/web:v1` });
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  const kf = (...args: string[]) =>
    runKubefresh([...args, '--kubeconfig', cluster.kubeconfigPath, ...registryFlags(cluster)], {
      env: { HOME: '/nonexistent' },
    });

  it.each([['nosuch'], ['A B']])('doctor -n %j: the namespace does not exist, exit 3', async (ns) => {
    const result = await kf('doctor', '-n', ns);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`namespaces "${ns}" not found`);
  });

  it('doctor -n on an existing empty namespace is fine', async () => {
    await actions(cluster, 'empty').namespace();
    const result = await kf('doctor', '-n', 'empty');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no workloads found');
  });

  it('deploy -c nosuch --dry-run is a usage error (exit 2)', async () => {
    const result = await kf(
      'deploy',
      'deployment/web',
      '-n',
      'small',
      '-c',
      'nosuch',
      '--image',
      'r/x',
      '--no-build',
      '--tag',
      'v1',
      '--dry-run',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unable to find container named "nosuch"');
  });

  it('deploy --dry-run with a missing --context-dir is a usage error', async () => {
    const result = await kf(
      'deploy',
      'deployment/web',
      '-n',
      'small',
      '--image',
      'r/x',
      '--context-dir',
      '/nonexistent/ctx',
      '--dry-run',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--context-dir "/nonexistent/ctx" does not exist');
  });

  it.each([
    [['--resolve', 'x=1.2.3.4.5'], 'expected HOST=ADDRESS'],
    [['--resolve', 'x=::g'], 'expected HOST=ADDRESS'],
    [['--timeout', '600h'], 'expected a duration of at most 24d'],
  ])('digest %j is refused', async (flags, message) => {
    const result = await runKubefresh(['digest', 'a:v1', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('--request-timeout 600h is refused instead of becoming 1 ms', async () => {
    const result = await kf('doctor', '--request-timeout', '600h');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a duration of at most 24d (596h), got "600h"');
  });
});

describe('.kubefresh.yaml found up the tree', () => {
  const root = mkdtempSync(join(tmpdir(), 'kubefresh-safe-'));
  const work = join(root, 'work');
  mkdirSync(work);
  writeFileSync(
    join(work, 'pod.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: "a:latest"}]}\n',
  );

  it('text output says which config file was used', async () => {
    writeFileSync(join(root, '.kubefresh.yaml'), 'lint:\n  failOn: none\n');
    chmodSync(join(root, '.kubefresh.yaml'), 0o644);
    const result = await runKubefresh(['lint', 'pod.yaml'], { cwd: work });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/, config \.\.\/\.kubefresh\.yaml\)\n$/);
  });

  it('a world-writable one is refused unless named with --config', async () => {
    chmodSync(join(root, '.kubefresh.yaml'), 0o666);
    const refused = await runKubefresh(['lint', 'pod.yaml'], { cwd: work });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to use "../.kubefresh.yaml": anyone may write it');
    const named = await runKubefresh(['lint', 'pod.yaml', '--config', '../.kubefresh.yaml'], { cwd: work });
    expect(named.code).toBe(0);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'one owned by another user is refused (as root, chown works)',
    async () => {
      chmodSync(join(root, '.kubefresh.yaml'), 0o644);
      chownSync(join(root, '.kubefresh.yaml'), 12345, 12345);
      const refused = await runKubefresh(['lint', 'pod.yaml'], { cwd: work });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('it is owned by uid 12345, not by you (uid 0)');
    },
  );
});
