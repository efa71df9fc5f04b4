import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../../src/sim/apiserver/index.js';
import { type Kubectl, kubectlBinary, kubectlFor } from '../../support/kubectl.js';
import { startTestCluster, type TestCluster } from './support/cluster.js';

/** The kubectl on PATH (1.32) and the oldest and newest clients installed beside it. */
const CLIENTS = [
  ['1.32', kubectlBinary()],
  ['1.27', kubectlBinary('1.27')],
  ['1.33', kubectlBinary('1.33')],
] as const;

/** Real kubectl against the API server with these controllers: what users see of a rollout. */
describe.each(CLIENTS)('kubectl %s rollout against the simulated control plane', (_version, binary) => {
  if (!binary) {
    it.skip('kubectl client not installed', () => {});
    return;
  }
  let cluster: TestCluster;
  let api: ApiServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    cluster = startTestCluster({ speed: 10, ready: (image) => !image.endsWith(':broken') });
    api = await startApiServer({ store: cluster.store, clock: cluster.clock });
    for (const name of ['server-0', 'agent-1', 'agent-2']) cluster.node(name);
    kubectl = await kubectlFor(api.url, binary!);
  });

  afterAll(async () => {
    cluster?.stop();
    await kubectl?.dispose();
    await api?.close();
    expect(cluster?.errors).toEqual([]);
  });

  it('create, set image, history and undo behave as on a real cluster', async () => {
    await kubectl.ok(['create', 'deployment', 'web', '--image=registry.local/app:v1', '--replicas=3']);
    await kubectl.ok(['annotate', 'deployment/web', 'kubernetes.io/change-cause=ship v1']);
    expect(await kubectl.ok(['rollout', 'status', 'deployment/web', '--timeout=20s'])).toContain(
      'deployment "web" successfully rolled out',
    );

    await kubectl.ok(['set', 'image', 'deployment/web', 'app=registry.local/app:v2']);
    await kubectl.ok(['annotate', '--overwrite', 'deployment/web', 'kubernetes.io/change-cause=ship v2']);
    expect(await kubectl.ok(['rollout', 'status', 'deployment/web', '--timeout=20s'])).toContain(
      'successfully rolled out',
    );
    const history = await kubectl.ok(['rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/1\s+ship v1/);
    expect(history).toMatch(/2\s+ship v2/);

    expect(await kubectl.ok(['rollout', 'undo', 'deployment/web'])).toContain(
      'deployment.apps/web rolled back',
    );
    await kubectl.ok(['rollout', 'status', 'deployment/web', '--timeout=20s']);
    const after = await kubectl.ok(['rollout', 'history', 'deployment/web']);
    expect(after).toMatch(/2\s+ship v2/);
    expect(after).toMatch(/3\s+ship v1/);
    expect(after).not.toMatch(/^1\s/m);
    const images = await kubectl.ok([
      'get',
      'pods',
      '-l',
      'app=web',
      '-o',
      'jsonpath={.items[*].spec.containers[0].image}',
    ]);
    expect(images.split(' ').filter((i) => i)).toEqual(Array(3).fill('registry.local/app:v1'));
    const rs = await kubectl.ok(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.replicas}']);
    expect(rs.split(' ').map(Number).sort()).toEqual([0, 3]);

    const revision2 = await kubectl.ok(['rollout', 'history', 'deployment/web', '--revision=2']);
    expect(revision2).toContain('registry.local/app:v2');
  });

  it('scale and restart create the expected ReplicaSets', async () => {
    await kubectl.ok(['scale', 'deployment/web', '--replicas=5']);
    await kubectl.ok(['rollout', 'status', 'deployment/web', '--timeout=20s']);
    await kubectl.ok(['rollout', 'restart', 'deployment/web']);
    await kubectl.ok(['rollout', 'status', 'deployment/web', '--timeout=20s']);
    const ready = await kubectl.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}']);
    expect(ready).toBe('5');
    const template = await kubectl.ok([
      'get',
      'rs',
      '-l',
      'app=web',
      '-o',
      'jsonpath={range .items[*]}{.spec.replicas}{" "}{.spec.template.metadata.annotations}{"\\n"}{end}',
    ]);
    expect(template).toMatch(/^5 .*kubectl.kubernetes.io\/restartedAt/m);
  });

  it('rollout status fails once the progress deadline passes', async () => {
    await kubectl.ok(['patch', 'deployment/web', '-p', '{"spec":{"progressDeadlineSeconds":5}}']);
    await kubectl.ok(['set', 'image', 'deployment/web', 'app=registry.local/app:broken']);
    const result = await kubectl.run(['rollout', 'status', 'deployment/web', '--timeout=20s']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('error: deployment "web" exceeded its progress deadline');
    const reason = await kubectl.ok([
      'get',
      'deployment',
      'web',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}',
    ]);
    expect(reason).toBe('ProgressDeadlineExceeded');
  });

  it('deleting the Deployment removes its ReplicaSets and pods', async () => {
    await kubectl.ok(['delete', 'deployment', 'web']);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const left = await kubectl.ok(['get', 'rs,pods', '-l', 'app=web', '-o', 'name']);
      if (left.trim() === '') break;
      if (Date.now() > deadline) throw new Error(`still there: ${left}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
