import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubefreshError } from '../../../src/errors/index.js';
import { deploy, parseWorkloadTarget } from '../../../src/pipeline/deploy/index.js';
import type { KubeClient } from '../../../src/ports/kube.js';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import { actions, appImage, crashingImage } from '../../../src/sim/scenarios/index.js';
import { ociLayoutOf, podImages, simDeps, simRegistryClient } from './support.js';

/**
 * deploy end to end on a three-node sim cluster: every step over the real HTTP API and registry,
 * pods pulled by the simulated kubelets.
 */
describe('deploy: a verified transaction on a sim cluster', () => {
  let cluster: SimCluster;
  let registry: string;
  const ns = 'shop';
  const target = () => parseWorkloadTarget('deployment/web', ns);

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 3, speed: 100 });
    registry = cluster.registry!.name;
    const act = actions(cluster, ns);
    await act.namespace();
    await cluster.pushImage(`${registry}/shop/web:v1`, appImage('v1'));
    await act.deploy({ name: 'web', image: `${registry}/shop/web:v1`, replicas: 3 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('--from-oci: pushes, pins repo:tag@digest, waits, and proves every pod runs the pushed digest', async () => {
    const { dir, digest } = await ociLayoutOf(appImage('v2'));
    const { deps, events, kube } = await simDeps(cluster);
    const result = await deploy(deps, {
      target: target(),
      image: `${registry}/shop/web`,
      source: { kind: 'oci', path: dir },
      graceMs: 3000,
    });
    expect(result.failure).toBeUndefined();
    expect(result.outcome).toBe('verified');
    expect(result.exitCode).toBe(0);
    const tag = `sha256-${digest.slice(7, 19)}`;
    expect(result.image).toEqual({ reference: `${registry}/shop/web:${tag}@${digest}`, tag, digest });
    expect(result.previous?.image).toBe(`${registry}/shop/web:v1`);
    expect(result.verification?.pods).toHaveLength(3);
    expect(result.verification?.pods.every((p) => p.ready && p.match === 'top')).toBe(true);
    expect(Object.values(result.verification!.byNode).reduce((a, b) => a + b, 0)).toBe(3);
    for (const pod of podImages(cluster, ns, 'web')) {
      expect(pod.image).toBe(result.image!.reference);
      expect(pod.imageID.endsWith(`@${digest}`)).toBe(true);
    }
    const d = await kube.get('deployments', ns, 'web');
    expect((d.metadata!.annotations as Record<string, string>)['kubernetes.io/change-cause']).toBe(
      `kubefresh deploy ${result.image!.reference}`,
    );
    const steps = events.filter((e) => e.type === 'step:done').map((e) => (e as { step: string }).step);
    expect(steps).toEqual(['build', 'tag', 'push', 'resolve', 'set-image', 'wait', 'verify']);
    const progress = events.filter((e) => e.type === 'step:progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ pods: { desired: 3, updated: 3, ready: 3 } });

    // The same deploy again changes nothing and re-verifies.
    const again = await deploy(deps, {
      target: target(),
      image: `${registry}/shop/web`,
      source: { kind: 'none' },
      tag,
    });
    expect(again.outcome).toBe('verified');
    expect(again.changed).toBe(false);
    expect((await kube.get('deployments', ns, 'web')).metadata?.generation).toBe(d.metadata?.generation);
  });

  it('a crashing release is rolled back to the previous digest, verified, with the doctor naming the crash', async () => {
    const before = podImages(cluster, ns, 'web')[0]!.image;
    await cluster.pushImage(`${registry}/shop/web:crash`, crashingImage('v3', ['panic: config not found']));
    const { deps } = await simDeps(cluster, {
      diagnose: async (t) => {
        const { runDoctor } = await import('../../../src/pipeline/doctor/index.js');
        const report = await runDoctor(
          { kube: (await simDeps(cluster)).kube, registry: deps.registry },
          { scope: { namespace: t.namespace, target: { kind: 'deployment', name: t.name } } },
        );
        return report.findings;
      },
    });
    const result = await deploy(deps, {
      target: target(),
      image: `${registry}/shop/web`,
      source: { kind: 'none' },
      tag: 'crash',
      graceMs: 1500,
    });
    expect(result.outcome).toBe('rolled-back');
    expect(result.exitCode).toBe(4);
    expect(result.failure?.code).toBe('CRASH_LOOP');
    expect(result.failure?.message).toMatch(/^pod web-\S+ on k3s-\S+: CrashLoopBackOff/);
    expect(result.rollback?.image).toBe(before);
    expect(result.rollback?.verification?.ok).toBe(true);
    expect(result.findings.map((f) => f.code)).toContain('CRASH_LOOP');
    for (const pod of podImages(cluster, ns, 'web')) expect(pod.image).toBe(before);
  });

  it('an image the agents cannot pull (localhost registry) is rolled back with the cause named', async () => {
    const before = podImages(cluster, ns, 'web')[0]!.image;
    const local = cluster.registry!.localName; // localhost:PORT: reachable on k3s-server only
    await cluster.pushImage(`${local}/shop/web:v4`, appImage('v4'));
    const { deps } = await simDeps(cluster);
    const result = await deploy(deps, {
      target: target(),
      image: `${local}/shop/web`,
      source: { kind: 'none' },
      tag: 'v4',
      graceMs: 1000,
    });
    expect(result.outcome).toBe('rolled-back');
    expect(result.failure?.code).toBe('PULL_UNREACHABLE');
    expect(result.failure?.message).toContain('connection refused');
    expect(result.failure?.message).toMatch(/on k3s-agent-\d/);
    expect(result.rollback?.verification?.ok).toBe(true);
    for (const pod of podImages(cluster, ns, 'web')) expect(pod.image).toBe(before);
  });

  it('--no-rollback leaves the failed revision and says how to roll back (exit 5)', async () => {
    await cluster.pushImage(`${registry}/shop/web:crash2`, crashingImage('v5', ['boom']));
    const { deps } = await simDeps(cluster);
    const result = await deploy(deps, {
      target: target(),
      image: `${registry}/shop/web`,
      source: { kind: 'none' },
      tag: 'crash2',
      graceMs: 1000,
      rollback: false,
    });
    expect(result.outcome).toBe('failed');
    expect(result.exitCode).toBe(5);
    expect(result.resume[0]).toMatch(/^kubectl rollout undo deployment\/web -n shop --to-revision=\d+$/);
    // Put it back for the next tests.
    const back = await deploy(deps, {
      target: target(),
      image: `${registry}/shop/web`,
      source: { kind: 'none' },
      tag: 'v1',
    });
    expect(back.outcome).toBe('verified');
  });

  it('a tag moved by another push during the rollout is detected; the pods run what was deployed', async () => {
    await cluster.pushImage(`${registry}/shop/web:v6`, appImage('v6'));
    let moved: Promise<unknown> | undefined;
    const { deps } = await simDeps(cluster);
    // The final check waits for the other push, however fast the rollout was.
    const fresh = await simRegistryClient(cluster);
    const registryClient = Object.create(fresh);
    registryClient.resolve = async (...args: Parameters<typeof fresh.resolve>) => {
      if (moved) await moved;
      return fresh.resolve(...args);
    };
    const result = await deploy(
      {
        ...deps,
        freshRegistry: () => registryClient,
        events: {
          emit: (e) => {
            if (e.type === 'step:done' && e.step === 'set-image')
              moved = cluster.pushImage(`${registry}/shop/web:v6`, appImage('v6-other'));
          },
        },
      },
      { target: target(), image: `${registry}/shop/web`, source: { kind: 'none' }, tag: 'v6' },
    );
    await moved;
    expect(result.outcome).toBe('verified');
    expect(result.warnings.map((w) => w.code)).toEqual(['DEPLOY_TAG_MOVED']);
    expect(result.warnings[0]!.message).toContain(`the pods run ${result.image!.digest}`);
    for (const pod of podImages(cluster, ns, 'web'))
      expect(pod.imageID.endsWith(result.image!.digest)).toBe(true);
  });

  it('survives 409 conflicts and dropped watches', async () => {
    await cluster.pushImage(`${registry}/shop/web:v7`, appImage('v7'));
    const { deps } = await simDeps(cluster);
    // One certain conflict (as when a controller writes between our read and our patch) plus random ones.
    let patches = 0;
    const kube: KubeClient = Object.create(deps.kube);
    kube.patch = (...args: Parameters<KubeClient['patch']>) => {
      patches++;
      if (patches === 1)
        return Promise.reject(new KubefreshError('KUBE_CONFLICT', 'the object has been modified'));
      return deps.kube.patch(...args);
    };
    cluster.api.setFaults({ conflictRate: 0.3, dropWatchesAfterMs: 60 });
    try {
      const result = await deploy(
        { ...deps, kube },
        { target: target(), image: `${registry}/shop/web`, source: { kind: 'none' }, tag: 'v7' },
      );
      expect(result.outcome).toBe('verified');
      expect(result.conflicts).toBeGreaterThanOrEqual(1);
      expect(result.verification?.ok).toBe(true);
    } finally {
      cluster.api.setFaults({});
    }
  });

  it('Ctrl-C while waiting stops, changes nothing further, and returns resume and rollback commands', async () => {
    await cluster.pushImage(`${registry}/shop/web:slow`, crashingImage('v8', ['never ready']));
    const { deps } = await simDeps(cluster);
    const controller = new AbortController();
    const result = await deploy(
      {
        ...deps,
        events: {
          emit: (e) => {
            if (e.type === 'step:start' && e.step === 'wait') setTimeout(() => controller.abort(), 100);
          },
        },
      },
      {
        target: target(),
        image: `${registry}/shop/web`,
        source: { kind: 'none' },
        tag: 'slow',
        signal: controller.signal,
        graceMs: 60_000,
        kubeFlags: ['--kubeconfig', '/tmp/kc'],
        registryFlags: ['--insecure-registry', 'r.local:5000'],
      },
    );
    expect(result.outcome).toBe('interrupted');
    expect(result.exitCode).toBe(130);
    expect(result.resume).toEqual([
      `kubefresh deploy deployment/web -n shop --image ${registry}/shop/web --no-build --tag slow --kubeconfig /tmp/kc --insecure-registry r.local:5000`,
      expect.stringMatching(
        /^kubectl rollout undo deployment\/web -n shop --to-revision=\d+ --kubeconfig \/tmp\/kc$/,
      ),
    ]);
    // The new image stays applied; no rollback was sent.
    const { kube } = await simDeps(cluster);
    const d = (await kube.get('deployments', ns, 'web')) as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(d.spec.template.spec.containers[0]!.image).toBe(result.image!.reference);
  });

  it('--dry-run plans and changes nothing; a missing tag fails before anything changes', async () => {
    const { deps, kube } = await simDeps(cluster);
    const before = await kube.get('deployments', ns, 'web');
    const plan = await deploy(deps, {
      target: target(),
      image: `${registry}/shop/web`,
      source: { kind: 'none' },
      tag: 'v1',
      dryRun: true,
    });
    expect(plan.outcome).toBe('planned');
    expect(plan.plan.join('\n')).toContain('set deployment/web -n shop container "app"');
    await expect(
      deploy(deps, {
        target: target(),
        image: `${registry}/shop/web`,
        source: { kind: 'none' },
        tag: 'nope',
      }),
    ).rejects.toMatchObject({ code: 'REGISTRY_NOT_FOUND' });
    // The spec is untouched (the status may still move: the previous test left a rollout running).
    const after = await kube.get('deployments', ns, 'web');
    expect(after.metadata?.generation).toBe(before.metadata?.generation);
    expect(after.spec).toEqual(before.spec);
  });
});
