import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../src/sim/cluster/index.js';
import { actions, appImage } from '../../src/sim/scenarios/index.js';
import { registryFlags } from '../pipeline/doctor/support.js';
import { spawnKubefresh } from '../support/built-cli.js';

/** `kubefresh deploy -o jsonl | head -1`: the reader leaves after one line; the transaction must not. */
describe('kubefresh deploy with a closed stdout (built CLI)', () => {
  let cluster: SimCluster;
  const ns = 'epipe';

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 2, speed: 100 });
    const registry = cluster.registry!.name;
    const act = actions(cluster, ns);
    await act.namespace();
    await cluster.pushImage(`${registry}/epipe/web:v1`, appImage('v1'));
    await cluster.pushImage(`${registry}/epipe/web:v2`, appImage('v2'));
    await act.deploy({ name: 'web', image: `${registry}/epipe/web:v1`, replicas: 2 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('finishes the rollout and verifies it, exit 0, after the pipe closes', async () => {
    const registry = cluster.registry!.name;
    const run = spawnKubefresh([
      'deploy',
      'deployment/web',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '-n',
      ns,
      ...registryFlags(cluster),
      '--image',
      `${registry}/epipe/web:v2`,
      '--no-build',
      '-o',
      'jsonl',
    ]);
    // Like `head -1`: read the first line, then close the read end of the pipe.
    await run.saw(/\n/);
    run.child.stdout.destroy();
    const code = await run.exit;
    expect(run.stderr()).toBe('');
    expect(code).toBe(0);
    const deployment = cluster.store.get('deployments.apps', ns, 'web') as unknown as {
      spec: { template: { spec: { containers: { image: string }[] } } };
      status: { updatedReplicas?: number; readyReplicas?: number };
    };
    expect(deployment.spec.template.spec.containers[0]!.image).toMatch(
      new RegExp(`^${registry}/epipe/web:v2@sha256:[0-9a-f]{64}$`),
    );
    expect(deployment.status).toMatchObject({ updatedReplicas: 2, readyReplicas: 2 });
  });
});
