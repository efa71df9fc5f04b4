import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../src/sim/cluster/index.js';
import { LABEL_READY_DELAY } from '../../src/sim/images/behaviour-labels.js';
import { scenarioApi } from '../../src/sim/scenarios/api.js';
import { actions, appImage, crashingImage } from '../../src/sim/scenarios/index.js';
import { registryFlags } from '../pipeline/doctor/support.js';
import { type RunningCli, spawnKubefresh } from '../support/built-cli.js';
import { createWithProbe } from '../support/probed-deployment.js';

/**
 * deploy as a transaction between processes: two deploys of one Deployment at once, a deploy
 * killed with SIGKILL after set-image and run again, and SIGTERM from a cancelled CI job.
 */
describe('kubefresh deploy across processes (built CLI)', () => {
  let cluster: SimCluster;
  const ns = 'tx';
  let registry: string;

  const image = (name: string) =>
    (
      cluster.store.get('deployments.apps', ns, name) as unknown as {
        spec: { template: { spec: { containers: { image: string }[] } } };
      }
    ).spec.template.spec.containers[0]!.image;

  const start = (name: string, tag: string, ...extra: string[]): RunningCli =>
    spawnKubefresh([
      'deploy',
      name.includes('/') ? name : `deployment/${name}`,
      '--kubeconfig',
      cluster.kubeconfigPath,
      '-n',
      ns,
      ...registryFlags(cluster),
      '--image',
      `${registry}/tx/app`,
      '--no-build',
      '--tag',
      tag,
      '--grace',
      '2s',
      ...extra,
    ]);

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 2, speed: 100 });
    registry = cluster.registry!.name;
    const act = actions(cluster, ns);
    await act.namespace();
    await cluster.pushImage(`${registry}/tx/app:v1`, appImage('v1'));
    // Slow to become ready (5 s of real time at speed 100), so a second deploy lands mid-rollout.
    const slow = appImage('v2');
    await cluster.pushImage(`${registry}/tx/app:slow`, {
      ...slow,
      labels: { ...slow.labels, [LABEL_READY_DELAY]: '500000' },
    });
    await cluster.pushImage(`${registry}/tx/app:v3`, appImage('v3'));
    await cluster.pushImage(`${registry}/tx/app:crash`, crashingImage('v4', ['panic: boom']));
    for (const name of ['race', 'killed', 'cancelled']) {
      await createWithProbe(cluster, ns, { name, image: `${registry}/tx/app:v1`, replicas: 2 });
      await act.waitForRollout(name);
    }
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('kill -9 after set-image on a StatefulSet: the re-run resumes through its ControllerRevisions', async () => {
    await scenarioApi(cluster.apiUrl).create(`/apis/apps/v1/namespaces/${ns}/statefulsets`, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: ns, labels: { app: 'db' } },
      spec: {
        replicas: 2,
        serviceName: 'db',
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { containers: [{ name: 'app', image: `${registry}/tx/app:v1` }] },
        },
      },
    });
    const sts = () =>
      cluster.store.get('statefulsets.apps', ns, 'db') as unknown as {
        spec: { template: { spec: { containers: { image: string }[] } } };
        status?: { readyReplicas?: number };
      };
    for (let i = 0; i < 200 && (sts().status?.readyReplicas ?? 0) < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    const killed = start('statefulset/db', 'crash');
    await killed.saw(/✓ set-image/);
    killed.child.kill('SIGKILL');
    await killed.exit;
    const again = start('statefulset/db', 'crash');
    expect(await again.exit, again.output()).toBe(4);
    expect(again.output()).toContain('checking it as this run');
    expect(sts().spec.template.spec.containers[0]!.image).toBe(`${registry}/tx/app:v1`);
  }, 60_000);

  it('two overlapping deploys: the first says it was superseded (exit 6), verifies and undoes nothing', async () => {
    const first = start('race', 'slow');
    await first.saw(/✓ set-image/);
    const second = start('race', 'v3');
    const [firstCode, secondCode] = await Promise.all([first.exit, second.exit]);
    expect(secondCode, second.output()).toBe(0);
    expect(firstCode, first.output()).toBe(6);
    expect(first.output()).toMatch(
      /⇄ superseded deployment\/race: the pod template was changed by someone else meanwhile: container "app" is now \S+\/tx\/app:v3@sha256:/,
    );
    expect(first.output()).not.toMatch(/✓ verified|↩ rolled back|why the new revision failed/);
    expect(image('race')).toMatch(new RegExp(`^${registry}/tx/app:v3@sha256:`));
  }, 60_000);

  it('kill -9 after set-image: the same command again resumes, fails and rolls back (exit 4)', async () => {
    const killed = start('killed', 'crash');
    await killed.saw(/✓ set-image/);
    killed.child.kill('SIGKILL');
    await killed.exit;
    expect(image('killed')).toMatch(/tx\/app:crash@sha256:/);
    const again = start('killed', 'crash');
    expect(await again.exit, again.output()).toBe(4);
    expect(again.output()).toContain(
      'set by an earlier run of this deploy (killed before its verdict, or verified then): checking it as this run',
    );
    expect(again.output()).toMatch(/↩ rolled back to \S+\/tx\/app:v1/);
    expect(image('killed')).toBe(`${registry}/tx/app:v1`);
  }, 60_000);

  it('SIGTERM (a cancelled CI job) stops like Ctrl-C: exit 130 with the resume and roll-back commands', async () => {
    const run = start('cancelled', 'slow');
    await run.saw(/✓ set-image/);
    await run.saw(/ {2}wait /);
    run.child.kill('SIGTERM');
    expect(await run.exit, run.output()).toBe(130);
    expect(run.output()).toContain('■ interrupted deployment/cancelled');
    expect(run.output()).toMatch(
      /to roll back:\n\s+kubectl rollout undo deployment\/cancelled -n tx --to-revision=1/,
    );
  }, 60_000);
});
