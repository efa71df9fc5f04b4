import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../src/sim/cluster/index.js';
import { actions, appImage } from '../../src/sim/scenarios/index.js';
import { ociLayoutOf, podImages } from '../pipeline/deploy/support.js';
import { registryFlags } from '../pipeline/doctor/support.js';
import { runKubefresh } from '../support/cli.js';
import { type Distribution, startDistribution } from '../support/distribution.js';
import { findTool } from '../support/tools.js';

const registryBinary = findTool('docker-registry');
const buildah = findTool('buildah');
const FIXTURE = join(process.cwd(), 'test/fixtures/deploy/hello');

/**
 * Real tools end to end: buildah builds the fixture's Dockerfile (FROM scratch + COPY, no network),
 * kubefresh pushes it with its own client to Debian's docker-registry (distribution 2.8) on
 * 127.0.0.1, deploys it on a one-node sim cluster whose node runs that registry on its loopback,
 * and verifies the digest; `--from-oci` does the same with no builder at all.
 */
describe.skipIf(!registryBinary)('kubefresh deploy with docker-registry (distribution)', () => {
  let cluster: SimCluster;
  let distribution: Distribution;
  const ns = 'real';
  const kf = (...args: string[]) =>
    runKubefresh(
      [
        'deploy',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '-n',
        ns,
        ...registryFlags(cluster),
        '-o',
        'json',
        ...args,
      ],
      {
        env: { HOME: '/nonexistent', PATH: process.env.PATH ?? '' },
      },
    );

  beforeAll(async () => {
    distribution = await startDistribution(registryBinary!);
    cluster = await startSimCluster({ nodes: 1, speed: 100 });
    // The registry runs on the node (as `docker run -p 5000:5000 registry` would): its loopback reaches it.
    cluster.node('k3s-server').kubelet.network.setLocalRegistry(distribution.port);
    const act = actions(cluster, ns);
    await act.namespace();
    await cluster.pushImage(`${cluster.registry!.name}/real/app:v1`, appImage('v1'));
    await act.deploy({ name: 'hello', image: `${cluster.registry!.name}/real/app:v1`, replicas: 2 });
    await act.deploy({ name: 'oci', image: `${cluster.registry!.name}/real/app:v1`, replicas: 2 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    await distribution?.stop();
  });

  it.skipIf(!buildah || process.getuid?.() !== 0)(
    'buildah builds the fixture; kubefresh pushes, deploys and verifies the registry digest',
    async () => {
      const result = await kf(
        'deployment/hello',
        '--image',
        `${distribution.host}/fixtures/hello`,
        '--builder',
        'buildah',
        '--context-dir',
        FIXTURE,
      );
      expect(result.stderr).toBe('');
      const doc = JSON.parse(result.stdout);
      expect(doc.outcome).toBe('verified');
      expect(result.code).toBe(0);
      expect(doc.image.tag).toMatch(/^[0-9a-f]{7}(-dirty)?$/);
      expect(doc.image.reference).toBe(
        `${distribution.host}/fixtures/hello:${doc.image.tag}@${doc.image.digest}`,
      );
      // distribution saw the push and the node's pull of that digest.
      expect(
        await distribution.waitForLog((l) =>
          l.includes(`"PUT /v2/fixtures/hello/manifests/${doc.image.tag} `),
        ),
      ).toHaveLength(1);
      expect(
        await distribution.waitForLog((l) => l.includes(`/v2/fixtures/hello/manifests/${doc.image.digest} `)),
      ).not.toHaveLength(0);
      for (const pod of podImages(cluster, ns, 'hello'))
        expect(pod.imageID).toBe(`${distribution.host}/fixtures/hello@${doc.image.digest}`);
    },
    60_000,
  );

  it('--from-oci pushes an OCI layout with no builder and verifies it', async () => {
    const { dir, digest } = await ociLayoutOf(appImage('from-oci'));
    const result = await kf(
      'deployment/oci',
      '--image',
      `${distribution.host}/fixtures/oci`,
      '--from-oci',
      dir,
      '--tag',
      'v2',
    );
    expect(result.stderr).toBe('');
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ outcome: 'verified', image: { tag: 'v2', digest } });
    expect(doc.verification.pods.map((p: { match: string }) => p.match)).toEqual(['top', 'top']);
    expect(result.code).toBe(0);
  });
});
