import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../src/core/image-ref/index.js';
import {
  parseWorkloadTarget,
  registryImageOf,
  rollbackTo,
  verifyRevision,
  waitForRollout,
} from '../../../src/pipeline/deploy/index.js';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import { actions, appImage, crashingImage } from '../../../src/sim/scenarios/index.js';
import { simDeps, simRegistryClient } from './support.js';

/** waitForRollout, verifyRevision and rollbackTo on their own, as restart and rollback use them. */
describe('wait / verify / rollback building blocks', () => {
  let cluster: SimCluster;
  let registry: string;
  const ns = 'blocks';
  const target = () => parseWorkloadTarget('deploy/api', ns);

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 2, speed: 100 });
    registry = cluster.registry!.name;
    const act = actions(cluster, ns);
    await act.namespace();
    await cluster.pushImage(`${registry}/blocks/api:v1`, appImage('v1'));
    await cluster.pushImage(`${registry}/blocks/api:v2`, appImage('v2'));
    await cluster.pushImage(`${registry}/blocks/api:bad`, crashingImage('bad', ['exit']));
    await act.deploy({ name: 'api', image: `${registry}/blocks/api:v1`, replicas: 2 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('waits for a kubectl-made rollout, verifies it against the registry, rolls it back and verifies that', async () => {
    const { kube } = await simDeps(cluster);
    const client = await simRegistryClient(cluster);
    await actions(cluster, ns).setImage('api', `${registry}/blocks/api:v2`);
    const waited = await waitForRollout({ kube }, target(), { graceMs: 2000 });
    expect(waited.outcome).toBe('done');
    expect(waited.check?.status.message).toBe('deployment "api" successfully rolled out');
    expect(waited.pods).toHaveLength(2);

    const v2 = await registryImageOf(client, parseImageRef(`${registry}/blocks/api:v2`));
    const verified = await verifyRevision(kube, target(), 'app', v2);
    expect(verified.ok).toBe(true);
    expect(verified.revision?.revision).toBe(2);
    const v1 = await registryImageOf(client, parseImageRef(`${registry}/blocks/api:v1`));
    expect((await verifyRevision(kube, target(), 'app', v1)).ok).toBe(false);

    const rolled = await rollbackTo({ kube }, target());
    expect(rolled).toMatchObject({ message: 'rolled back', changed: true, revision: 1 });
    expect((await waitForRollout({ kube }, target())).outcome).toBe('done');
    expect((await verifyRevision(kube, target(), 'app', v1)).ok).toBe(true);
    const again = await rollbackTo({ kube }, target(), { toRevision: 3 });
    expect(again.message).toBe('skipped rollback (current template already matches revision 3)');
  });

  it('a timeout ends the wait with kubectl status in the reason; the signal ends it as interrupted', async () => {
    const { kube } = await simDeps(cluster);
    await actions(cluster, ns).setImage('api', `${registry}/blocks/api:bad`);
    const timedOut = await waitForRollout({ kube }, target(), { graceMs: 60_000, timeoutMs: 300 });
    expect(timedOut.outcome).toBe('timeout');
    expect(timedOut.reason?.code).toBe('ROLLOUT_TIMEOUT');
    expect(timedOut.reason?.message).toMatch(
      /^timed out after 0s: Waiting for deployment "api" rollout to finish/,
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const stopped = await waitForRollout({ kube }, target(), { graceMs: 60_000, signal: controller.signal });
    expect(stopped.outcome).toBe('interrupted');
    await rollbackTo({ kube }, target());
  });
});
