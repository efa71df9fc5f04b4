import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, parseWorkloadTarget } from '../../../src/pipeline/deploy/index.js';
import { runDoctor } from '../../../src/pipeline/doctor/index.js';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import { scenarioApi } from '../../../src/sim/scenarios/api.js';
import { actions, appImage, crashingImage } from '../../../src/sim/scenarios/index.js';
import { podImages, simDeps } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: API JSON
type Json = any;

function workload(
  kind: 'StatefulSet' | 'DaemonSet',
  namespace: string,
  name: string,
  image: string,
  extra: Json = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: name, image }] } },
      ...extra,
    },
  };
}

async function until(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * `kubefresh deploy` on StatefulSets and DaemonSets of a three-node sim cluster: the image set by
 * digest, the rollout waited for with kubectl's rules for each kind, every pod of the new revision
 * proven, a crashing release rolled back to the previous digest and proven; the doctor on both.
 */
describe.each([
  [
    'statefulset',
    'StatefulSet',
    'db',
    { replicas: 2, serviceName: 'db', podManagementPolicy: 'Parallel' },
    2,
  ],
  // The default policy: the crashing pod blocks the set until the rollback deletes it.
  ['statefulset', 'StatefulSet', 'ordered', { replicas: 3, serviceName: 'ordered' }, 3],
  ['daemonset', 'DaemonSet', 'agent', {}, 3],
] as const)('deploy %s/x on a sim cluster', (resource, kind, name, extra, expectedPods) => {
  let cluster: SimCluster;
  let registry: string;
  const ns = 'infra';
  const target = () => parseWorkloadTarget(`${resource}/${name}`, ns);
  const storeKey = `${resource}s.apps`;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 3, speed: 100 });
    registry = cluster.registry!.name;
    await actions(cluster, ns).namespace();
    await cluster.pushImage(`${registry}/infra/${name}:v1`, appImage('v1'));
    await cluster.pushImage(`${registry}/infra/${name}:v2`, appImage('v2'));
    await cluster.pushImage(`${registry}/infra/${name}:crash`, crashingImage('v3', ['panic: no quorum']));
    const path = `/apis/apps/v1/namespaces/${ns}/${resource}s`;
    await scenarioApi(cluster.apiUrl).create(
      path,
      workload(kind, ns, name, `${registry}/infra/${name}:v1`, extra),
    );
    await until('v1 ready', () => {
      const pods = podImages(cluster, ns, name);
      const status = (cluster.store.get(storeKey, ns, name) as Json)?.status ?? {};
      return pods.length === expectedPods && (status.readyReplicas ?? status.numberReady) === expectedPods;
    });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('--no-build deploys by digest and proves every pod runs it; the doctor reads it pinned', async () => {
    const { deps } = await simDeps(cluster);
    const result = await deploy(deps, {
      target: target(),
      image: `${registry}/infra/${name}`,
      source: { kind: 'none' },
      tag: 'v2',
      graceMs: 1500,
    });
    expect(result.failure).toBeUndefined();
    expect(result.outcome).toBe('verified');
    expect(result.exitCode).toBe(0);
    expect(result.image?.reference).toMatch(new RegExp(`^${registry}/infra/${name}:v2@sha256:[0-9a-f]{64}$`));
    expect(result.verification?.pods).toHaveLength(expectedPods);
    expect(result.verification?.pods.every((p) => p.ready && p.match === 'top')).toBe(true);
    const pods = podImages(cluster, ns, name);
    expect(pods).toHaveLength(expectedPods);
    for (const pod of pods) {
      expect(pod.image).toBe(result.image!.reference);
      expect(pod.imageID.endsWith(`@${result.image!.digest}`)).toBe(true);
    }
    if (kind === 'DaemonSet') expect(new Set(pods.map((p) => p.node)).size).toBe(3);

    const report = await runDoctor(
      { kube: deps.kube, registry: deps.registry },
      { scope: { namespace: ns, target: { kind: resource, name } } },
    );
    const codes = report.findings.map((f) => f.code);
    expect(codes).toContain('OK_PINNED');
    expect(report.findings.find((f) => f.code === 'OK_PINNED')?.subject).toMatchObject({ kind, name });
  });

  // DaemonSets: after the rollback the pods the crash never reached keep the older
  // pod-template-generation but carry the current ControllerRevision's hash, and count as current.
  it('a crashing release is rolled back to the previous digest and verified', async () => {
    const before = podImages(cluster, ns, name)[0]!.image;
    const { deps, events } = await simDeps(cluster);
    const result = await deploy(deps, {
      target: target(),
      image: `${registry}/infra/${name}`,
      source: { kind: 'none' },
      tag: 'crash',
      graceMs: 1500,
    });

    expect(result.outcome).toBe('rolled-back');
    expect(result.exitCode).toBe(4);
    expect(result.failure?.code).toBe('CRASH_LOOP');
    expect(result.rollback?.image).toBe(before);
    expect(result.rollback?.verification?.ok).toBe(true);
    await until('old pods replaced', () => podImages(cluster, ns, name).every((p) => p.image === before));
    expect(podImages(cluster, ns, name)).toHaveLength(expectedPods);
    const done = events.find((e) => e.type === 'step:done' && e.step === 'rollback');
    const ordered = kind === 'StatefulSet' && !('podManagementPolicy' in extra);
    if (ordered) {
      // The failed revision's pods that never became Ready are deleted so the set can recreate them.
      expect(done?.message).toMatch(
        new RegExp(
          `^rolled back; deleted pod/${name}-[0-9](, pod/${name}-[0-9])* \\(not Ready, failed revision ${name}-[a-z0-9]+\\)`,
        ),
      );
    } else {
      expect(done?.message).not.toContain('deleted');
    }
  });
});
