import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, parseWorkloadTarget } from '../../../src/pipeline/deploy/index.js';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import { scenarioApi } from '../../../src/sim/scenarios/api.js';
import { actions, appImage, crashingImage } from '../../../src/sim/scenarios/index.js';
import { simDeps } from './support.js';

/**
 * An OrderedReady StatefulSet whose running revision crash-loops: its controller updates no pod
 * while one is not Ready, so a deploy of a good image would wait for ever (10m35s was seen with
 * the default --wait-timeout 0). The broken old pod must end the wait after the grace period.
 */
describe('deploy to a StatefulSet stalled by a broken old pod', () => {
  let cluster: SimCluster;
  const ns = 'stall';

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 2, speed: 100 });
    const registry = cluster.registry!.name;
    await actions(cluster, ns).namespace();
    await cluster.pushImage(`${registry}/stall/db:crash`, crashingImage('v1', ['panic: no quorum']));
    await cluster.pushImage(`${registry}/stall/db:v2`, appImage('v2'));
    await scenarioApi(cluster.apiUrl).create(`/apis/apps/v1/namespaces/${ns}/statefulsets`, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: ns, labels: { app: 'db' } },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { containers: [{ name: 'db', image: `${registry}/stall/db:crash` }] },
        },
      },
    });
    // Let the first pod crash-loop for a while: the controller never gets to a second one.
    await new Promise((r) => setTimeout(r, 1500));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('fails after the grace period, naming the old pod that blocks the rollout', async () => {
    const { deps } = await simDeps(cluster);
    const started = Date.now();
    const result = await deploy(deps, {
      target: parseWorkloadTarget('statefulset/db', ns),
      image: `${cluster.registry!.name}/stall/db`,
      source: { kind: 'none' },
      tag: 'v2',
      graceMs: 1500,
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.failure?.code).toBe('CRASH_LOOP');
    expect(result.failure?.message).toMatch(
      /^pod db-\d on \S+: CrashLoopBackOff.*\(a pod of an earlier revision: the StatefulSet controller updates no other pod while it is not Ready\)$/,
    );
    expect([4, 5]).toContain(result.exitCode);
  }, 60_000);
});
