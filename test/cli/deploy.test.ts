import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineEvent } from '../../src/ports/events.js';
import { type SimCluster, startSimCluster } from '../../src/sim/cluster/index.js';
import { actions, appImage } from '../../src/sim/scenarios/index.js';
import { ociLayoutOf } from '../pipeline/deploy/support.js';
import { registryFlags } from '../pipeline/doctor/support.js';
import { runKubefresh } from '../support/cli.js';

/** `kubefresh deploy` through the CLI (in-process) against a sim cluster: output formats and usage errors. */
describe('kubefresh deploy (CLI)', () => {
  let cluster: SimCluster;
  let registry: string;
  const ns = 'cli';
  const kf = (...args: string[]) =>
    runKubefresh(
      ['deploy', '--kubeconfig', cluster.kubeconfigPath, '-n', ns, ...registryFlags(cluster), ...args],
      {
        env: { HOME: '/nonexistent' },
      },
    );

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 2, speed: 100 });
    registry = cluster.registry!.name;
    const act = actions(cluster, ns);
    await act.namespace();
    await cluster.pushImage(`${registry}/cli/web:v1`, appImage('v1'));
    await act.deploy({ name: 'web', image: `${registry}/cli/web:v1`, replicas: 2 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('text: plain step lines when not a terminal, then the verdict with pods per node', async () => {
    const { dir, digest } = await ociLayoutOf(appImage('v2'));
    const result = await kf('deployment/web', '--image', `${registry}/cli/web`, '--from-oci', dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^✓ push +pushed \d+ of \d+ blobs/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}wait +\d\/2 updated, \d ready: /));
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^✓ verified deployment/web runs ${registry}/cli/web:sha256-\\w{12}@${digest} in `),
      ),
    );
    expect(result.stdout).toMatch(/pods per node:\n {4}k3s-\S+ +\d/);
    expect(result.stdout).not.toContain('\x1b[');
  });

  it('-o json: one document; a re-run of the same tag is a no-op that re-verifies', async () => {
    await cluster.pushImage(`${registry}/cli/web:v3`, appImage('v3'));
    const first = await kf('deployment/web', '--image', `${registry}/cli/web:v3`, '--no-build', '-o', 'json');
    expect(first.code).toBe(0);
    const doc = JSON.parse(first.stdout);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      kind: 'kubefresh.deploy',
      outcome: 'verified',
      exitCode: 0,
      changed: true,
    });
    expect(doc.image.reference).toBe(`${registry}/cli/web:v3@${doc.image.digest}`);
    const again = JSON.parse(
      (
        await kf(
          'deployment/web',
          '--image',
          `${registry}/cli/web`,
          '--no-build',
          '--tag',
          'v3',
          '-o',
          'json',
        )
      ).stdout,
    );
    expect(again).toMatchObject({ outcome: 'verified', changed: false });
  });

  it('-o jsonl: one event per line, the result last', async () => {
    await cluster.pushImage(`${registry}/cli/web:v4`, appImage('v4'));
    const result = await kf(
      'deployment/web',
      '--image',
      `${registry}/cli/web`,
      '--no-build',
      '--tag',
      'v4',
      '-o',
      'jsonl',
    );
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as PipelineEvent | { type: 'result'; outcome: string });
    expect(events.at(-1)).toMatchObject({ type: 'result', outcome: 'verified' });
    expect(events[0]).toEqual({
      type: 'step:skipped',
      step: 'build',
      message: '--no-build: using the image in the registry',
    });
    expect(events.some((e) => e.type === 'step:progress' && 'pods' in e && e.pods?.desired === 2)).toBe(true);
    expect(events.filter((e) => e.type === 'step:done').map((e) => (e as { step: string }).step)).toEqual([
      'resolve',
      'set-image',
      'wait',
      'verify',
    ]);
  });

  it('on a terminal: a live step list redrawn in place, then the verdict', async () => {
    await cluster.pushImage(`${registry}/cli/web:v5`, appImage('v5'));
    const result = await runKubefresh(
      [
        'deploy',
        'deployment/web',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '-n',
        ns,
        ...registryFlags(cluster),
      ].concat(['--image', `${registry}/cli/web`, '--no-build', '--tag', 'v5']),
      { env: { HOME: '/nonexistent', NO_COLOR: '1' }, tty: true },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\x1b[J'); // cursor up and clear: redrawn in place
    expect(result.stdout).toMatch(/✓ verify +2\/2 pods ready on sha256:\w{12}/);
    const verdict = result.stdout.split('\n').find((l) => l.includes('verified'));
    expect(verdict).toContain(`deployment/web`);
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const result = await kf(
      'deployment/web',
      '--image',
      `${registry}/cli/web`,
      '--no-build',
      '--tag',
      'v1',
      '--dry-run',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('plan for deployment/web (dry run, nothing changed):');
    expect(result.stdout).toContain('on failure: roll back to the previous revision, wait and verify it');
  });

  it.each([
    [
      ['deploy/web', '--image', 'r.local/x', '--from-oci', '/a', '--no-build'],
      2,
      '--from-oci and --no-build cannot be used together',
    ],
    [
      ['job/web', '--image', 'r.local/x', '--no-build', '--tag', 'v1'],
      2,
      'expected deployment/NAME, statefulset/NAME or daemonset/NAME, got "job/web"',
    ],
    [['deployment/web', '--image', 'r.local/x', '--tag', '-bad'], 2, '"-bad" is not a valid tag'],
    [
      ['deployment/web', '--image', 'r.local/x', '--no-build'],
      2,
      "--no-build needs the image's tag or digest",
    ],
    [['deployment/nope', '--image', 'r.local/x', '--no-build', '--tag', 'v1'], 3, 'nope'],
    [
      ['deployment/web', '--image', 'r.local/x', '--no-build', '--tag', 'v1', '-c', 'sidecar'],
      2,
      'unable to find container named "sidecar"',
    ],
  ])('usage and input errors: %j → exit %i', async (args, code, text) => {
    const result = await kf(...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(text);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
