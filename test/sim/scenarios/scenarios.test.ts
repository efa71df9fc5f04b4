import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import {
  crashAndConfig,
  importedOneNode,
  localhostRegistry,
  mixedDigests,
  pullFailures,
  staleLatest,
  undoHistory,
  waitForExpected,
} from '../../../src/sim/scenarios/index.js';
import { type Kubectl, kubectlBinary, kubectlFor } from '../../support/kubectl.js';
import { digestsOf, imageIDs, runSteps } from './support.js';

const binary = kubectlBinary();

/**
 * The seed guide's scenarios on one simulated cluster, each in its own namespace, driven by real
 * kubectl 1.32; outcomes asserted from what kubectl prints. They run concurrently, as users would
 * share one cluster.
 */
describe.skipIf(!binary)('seed scenarios with kubectl 1.32', () => {
  let cluster: SimCluster;
  let kubectl: Kubectl;
  const errors: unknown[] = [];

  beforeAll(async () => {
    cluster = await startSimCluster({ speed: 100, onError: (_c, _k, error) => errors.push(error) });
    kubectl = await kubectlFor(cluster.apiUrl, binary!);
  });
  afterAll(async () => {
    await kubectl?.dispose();
    await cluster?.stop();
    expect(errors).toEqual([]);
  });

  it.concurrent('1: :latest + IfNotPresent keeps v1 after a push and rollout restart; Always gets v2', async () => {
    const s = await staleLatest.setup(cluster);
    const ns = s.namespace;
    expect(digestsOf(await imageIDs(kubectl, ns, 'web'))).toEqual([s.images.v1!.digest]);
    await runSteps(kubectl, s.steps);
    expect(await kubectl.ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=30s'])).toContain(
      'deployment "web" successfully rolled out',
    );
    await waitForExpected(cluster, ns, s.expected);
    const ids = await imageIDs(kubectl, ns, 'web');
    expect(ids).toHaveLength(3);
    expect(digestsOf(ids)).toEqual([s.images.v1!.digest]);
    const restarted = await kubectl.ok([
      'get',
      'deployment/web',
      '-n',
      ns,
      '-o',
      'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}',
    ]);
    expect(restarted).toMatch(/^\d{4}-\d\d-\d\dT/);

    await runSteps(kubectl, s.fix!.steps);
    await kubectl.ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=30s']);
    await waitForExpected(cluster, ns, s.fix!.expected);
    expect(digestsOf(await imageIDs(kubectl, ns, 'web'))).toEqual([s.images.v2!.digest]);
  });

  it.concurrent('2: nodes caching different digests of one tag run one Deployment on two digests', async () => {
    const s = await mixedDigests.setup(cluster);
    const ns = s.namespace;
    await runSteps(kubectl, s.steps);
    await kubectl.ok(['wait', '--for=condition=Available', 'deployment/web', '-n', ns, '--timeout=30s']);
    await waitForExpected(cluster, ns, s.expected);
    const ids = await imageIDs(kubectl, ns, 'web');
    expect(ids).toHaveLength(3);
    expect(digestsOf(ids)).toEqual([s.images.v1!.digest, s.images.v2!.digest].sort());
    const wide = await kubectl.ok(['get', 'pods', '-n', ns, '-o', 'wide']);
    expect(wide.match(/Running/g)).toHaveLength(3);
  });

  it.concurrent('3: an image imported on the server only fails elsewhere (ErrImagePull, ErrImageNeverPull)', async () => {
    const s = await importedOneNode.setup(cluster);
    const ns = s.namespace;
    await runSteps(kubectl, s.steps);
    await waitForExpected(cluster, ns, s.expected);
    const wide = await kubectl.ok(['get', 'pods', '-n', ns, '-o', 'wide', '--no-headers']);
    const lines = wide.trim().split('\n');
    const onServer = lines.filter((l) => l.includes('k3s-server'));
    expect(onServer.every((l) => /\bRunning\b/.test(l))).toBe(true);
    const agents = lines.filter((l) => !l.includes('k3s-server'));
    expect(agents.filter((l) => l.startsWith('web-never-')).every((l) => /ErrImageNeverPull/.test(l))).toBe(
      true,
    );
    expect(
      agents.filter((l) => !l.startsWith('web-never-')).every((l) => /ErrImagePull|ImagePullBackOff/.test(l)),
    ).toBe(true);
    // The server's pods run the imported image: no repo digest, so imageID is the bare config digest.
    const ids = await imageIDs(kubectl, ns, 'web');
    expect(ids).toContain(s.images.dev!.digest);
    const events = await kubectl.ok(['get', 'events', '-n', ns, '--sort-by=.lastTimestamp']);
    expect(events).toContain(
      `Container image "${s.images.dev!.reference}" is not present with pull policy of Never`,
    );
    expect(events).toMatch(/Failed to pull image "scenario-3-app:dev": .*no such host/);
  });

  it.concurrent('4: a localhost registry on the server node is unreachable from the agents', async () => {
    const s = await localhostRegistry.setup(cluster);
    const ns = s.namespace;
    await runSteps(kubectl, s.steps);
    await waitForExpected(cluster, ns, s.expected);
    const describe = await kubectl.ok(['describe', 'pods', '-n', ns]);
    expect(describe).toContain(`dial tcp 127.0.0.1:${cluster.registry!.port}: connect: connection refused`);
    expect(describe).toMatch(/Back-off pulling image "localhost:\d+\/scenario-4\/app:v1"/);
  });

  it.concurrent('5: missing tag, missing credentials, unreachable registry → ImagePullBackOff with the reasons', async () => {
    const s = await pullFailures.setup(cluster);
    const ns = s.namespace;
    await runSteps(kubectl, s.steps);
    await waitForExpected(cluster, ns, s.expected);
    const describe = async (app: string) => kubectl.ok(['describe', 'pod', '-n', ns, '-l', `app=${app}`]);
    const [missing, auth, unreachable] = await Promise.all([
      describe('missing-tag'),
      describe('no-credentials'),
      describe('unreachable'),
    ]);
    expect(missing).toMatch(
      /failed to resolve reference "registry\.sim:\d+\/scenario-5\/app:v9": .*not found/,
    );
    expect(auth).toMatch(/401 Unauthorized/);
    expect(unreachable).toContain('dial tcp: lookup registry.unreachable.example: no such host');
    for (const text of [missing, auth, unreachable]) expect(text).toMatch(/ErrImagePull|ImagePullBackOff/);
  });

  it.concurrent('6: a crashing v2 loops with previous logs; a missing ConfigMap key blocks the container', async () => {
    const s = await crashAndConfig.setup(cluster);
    const ns = s.namespace;
    await runSteps(kubectl, s.steps);
    await waitForExpected(cluster, ns, s.expected);
    const pods = await kubectl.ok(['get', 'pods', '-n', ns, '--no-headers']);
    expect(pods).toMatch(/CrashLoopBackOff/);
    expect(pods).toMatch(/CreateContainerConfigError/);
    const crashing = pods
      .split('\n')
      .find((l) => l.includes('CrashLoopBackOff'))!
      .split(/\s+/)[0]!;
    expect(await kubectl.ok(['logs', crashing, '-n', ns, '--previous'])).toContain(
      'panic: config: DATABASE_URL is not set',
    );
    const configured = await kubectl.ok(['describe', 'pod', '-n', ns, '-l', 'app=configured']);
    expect(configured).toContain(`couldn't find key DATABASE_URL in ConfigMap ${ns}/app-config`);
    // The rollout is stuck but v1 keeps serving.
    const status = await kubectl.run(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=1s']);
    expect(status.code).not.toBe(0);
    expect(status.stdout).toContain('Waiting for deployment "web" rollout to finish');
    const describeDeployment = await kubectl.ok(['describe', 'deployment/web', '-n', ns]);
    expect(describeDeployment).toMatch(/ScalingReplicaSet\s+.*Scaled up replica set web-/);
  });

  it.concurrent('7: three revisions, history and undo --to-revision=1', async () => {
    const s = await undoHistory.setup(cluster);
    const ns = s.namespace;
    const steps = s.steps.slice(0, -1);
    await runSteps(kubectl, steps);
    const history = await kubectl.ok(['rollout', 'history', 'deployment/web', '-n', ns]);
    expect(history).toMatch(/1\s+deploy v1/);
    expect(history).toMatch(/2\s+deploy v2/);
    expect(history).toMatch(/3\s+deploy v3/);
    expect(digestsOf(await imageIDs(kubectl, ns, 'web'))).toEqual([s.images.v3!.digest]);
    expect(await kubectl.ok(s.steps.at(-1)!.kubectl!)).toContain('deployment.apps/web rolled back');
    await kubectl.ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=30s']);
    await waitForExpected(cluster, ns, s.expected);
    const after = await kubectl.ok(['rollout', 'history', 'deployment/web', '-n', ns]);
    expect(after).not.toMatch(/^1\s/m);
    expect(after).toMatch(/4\s+deploy v1/);
    expect(digestsOf(await imageIDs(kubectl, ns, 'web'))).toEqual([s.images.v1!.digest]);
    // Undo without a revision goes back to the one before (v3).
    await kubectl.ok(['rollout', 'undo', 'deployment/web', '-n', ns]);
    await kubectl.ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=30s']);
    await kubectl.ok(['wait', '--for=condition=Available', 'deployment/web', '-n', ns, '--timeout=30s']);
    expect(digestsOf(await imageIDs(kubectl, ns, 'web'))).toEqual([s.images.v3!.digest]);
    const describe = await kubectl.ok(['describe', 'deployment/web', '-n', ns]);
    expect(describe).toContain('Events:');
    expect(describe).toMatch(/ScalingReplicaSet/);
  });
});
