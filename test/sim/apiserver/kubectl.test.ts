import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/sim/store/index.js';
import { type Kubectl, kubectlBinary, kubectlFor } from '../../support/kubectl.js';
import { crashingPod, k3sNode, recorder, runningPod, type SimApi, startSimApi } from './fixtures.js';

const NGINX_ID = `docker.io/library/nginx@sha256:${'a'.repeat(64)}`;

const DEPLOYMENT_YAML = (env: string, image = 'registry.local/app:1.0') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels: {app: app}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
      - name: app
        image: ${image}
        env:
        - {name: MODE, value: "${env}"}
`;

async function seed(sim: SimApi): Promise<void> {
  const { store, clock } = sim;
  store.create('nodes', k3sNode('server-0', '10.0.0.10', { server: true }));
  store.create('nodes', k3sNode('agent-1', '10.0.0.11', { arch: 'arm64' }));
  store.create('pods', runningPod('web-1', 'server-0', 'nginx:1.25', NGINX_ID, { app: 'web' }));
  store.create('pods', runningPod('web-2', 'agent-1', 'nginx:1.25', NGINX_ID, { app: 'web' }));
  store.create('pods', crashingPod('crash-1', 'agent-1', 3, new Date(clock.now() - 30_000).toISOString()));
  const pod = store.get('pods', 'default', 'crash-1')!;
  const kubelet = recorder(store, clock, 'kubelet', 'agent-1');
  kubelet.record({
    involved: pod,
    type: 'Normal',
    reason: 'Pulled',
    message: 'Container image "app:v2" already present on machine',
    fieldPath: 'spec.containers{app}',
  });
  await new Promise((r) => setTimeout(r, 1100));
  kubelet.record({
    involved: pod,
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container app in pod crash-1_default(x)',
    fieldPath: 'spec.containers{app}',
  });
}

const logSource = (_ns: string, pod: string, container: string, options: { previous: boolean }) =>
  pod === 'crash-1' && options.previous
    ? 'v2 starting\npanic: missing DATABASE_URL\n'
    : pod === 'crash-1'
      ? { notFound: `container "${container}" in pod "${pod}" is waiting to start: CrashLoopBackOff` }
      : `listening on :80 (${container})\n`;

describe('kubectl 1.32 against the simulated API server', () => {
  const binary = kubectlBinary();
  let sim: SimApi;
  let kubectl: Kubectl;

  beforeAll(async () => {
    if (!binary) return;
    sim = await startSimApi({ logSource });
    await seed(sim);
    kubectl = await kubectlFor(sim.api.url, binary);
  });
  afterAll(async () => {
    await kubectl?.dispose();
    await sim?.api.close();
  });

  const stored = (resource: string, name: string): KubeObject => {
    const object = sim.store.get(resource, resource === 'nodes' ? undefined : 'default', name);
    if (!object) throw new Error(`${resource}/${name} is not in the store`);
    return object;
  };
  const deploymentSpec = (name: string) =>
    stored('deployments.apps', name).spec as {
      replicas: number;
      template: {
        metadata: { annotations?: Record<string, string> };
        spec: { containers: Record<string, unknown>[] };
      };
    };

  it.skipIf(!binary)('prints nodes with K3s roles, versions and wide columns', async () => {
    const out = await kubectl.ok(['get', 'nodes', '-o', 'wide']);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/,
    );
    expect(lines[1]).toMatch(
      /^agent-1\s+Ready\s+<none>\s+\d+s\s+v1\.32\.5\+k3s1\s+10\.0\.0\.11\s+<none>\s+K3s v1\.32\.5\+k3s1\s+6\.1\.0-31-amd64\s+containerd:\/\/2\.0\.5-k3s1$/,
    );
    expect(lines[2]).toMatch(/^server-0\s+Ready\s+control-plane,master\s+/);
  });

  it.skipIf(!binary)('prints pods -o wide with the printer STATUS and restarts', async () => {
    const out = await kubectl.ok(['get', 'pods', '-o', 'wide']);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/,
    );
    expect(lines.find((l) => l.startsWith('crash-1'))).toMatch(
      /^crash-1\s+0\/1\s+CrashLoopBackOff\s+3 \(3\ds ago\)\s+\d+s\s+10\.42\.0\.7\s+agent-1\s+<none>\s+<none>$/,
    );
    expect(lines.find((l) => l.startsWith('web-1'))).toMatch(
      /^web-1\s+1\/1\s+Running\s+0\s+\d+s\s+10\.42\.0\.7\s+server-0\s/,
    );
  });

  it.skipIf(!binary)('reads imageIDs with -o jsonpath and full objects with -o json', async () => {
    const ids = await kubectl.ok([
      'get',
      'pods',
      '-l',
      'app=web',
      '-o',
      'jsonpath={.items[*].status.containerStatuses[*].imageID}',
    ]);
    expect(ids).toBe(`${NGINX_ID} ${NGINX_ID}`);
    const list = JSON.parse(await kubectl.ok(['get', 'pods', '-o', 'json'])) as {
      kind: string;
      items: KubeObject[];
    };
    expect(list.kind).toBe('List');
    expect(list.items.map((p) => `${p.kind}/${p.metadata.name}`)).toEqual([
      'Pod/crash-1',
      'Pod/web-1',
      'Pod/web-2',
    ]);
  });

  it.skipIf(!binary)('sorts events by lastTimestamp and shows them in describe pod', async () => {
    const out = await kubectl.ok(['get', 'events', '--sort-by=.lastTimestamp']);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(lines[1]).toMatch(
      /\s+Normal\s+Pulled\s+pod\/crash-1\s+Container image "app:v2" already present on machine$/,
    );
    expect(lines[2]).toMatch(
      /\s+Warning\s+BackOff\s+pod\/crash-1\s+Back-off restarting failed container app/,
    );
    const describe = await kubectl.ok(['describe', 'pod', 'crash-1']);
    expect(describe).toMatch(/Node:\s+agent-1\/10\.0\.0\.11/);
    expect(describe).toMatch(/State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff/);
    expect(describe).toMatch(/Restart Count:\s+3/);
    expect(describe).toMatch(/Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message/);
    expect(describe).toMatch(/Warning\s+BackOff\s+\S+\s+kubelet\s+Back-off restarting failed container app/);
  });

  it.skipIf(!binary)(
    'creates a deployment with the API defaults stored (pull policy from the tag)',
    async () => {
      expect(await kubectl.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2'])).toBe(
        'deployment.apps/web created\n',
      );
      const spec = deploymentSpec('web');
      expect(spec.replicas).toBe(2);
      expect(spec.template.spec.containers[0]).toMatchObject({
        image: 'nginx',
        imagePullPolicy: 'Always',
        terminationMessagePath: '/dev/termination-log',
      });
      expect(stored('deployments.apps', 'web').spec).toMatchObject({
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      });
      const out = await kubectl.ok(['get', 'deploy', 'web', '-o', 'wide']);
      expect(out).toMatch(
        /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+0\/2\s+0\s+0\s+\d+s\s+nginx\s+nginx\s+app=web\n$/,
      );
    },
  );

  it.skipIf(!binary)('applies a manifest, re-applies it unchanged, then updates it', async () => {
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: DEPLOYMENT_YAML('a') })).toBe(
      'deployment.apps/app created\n',
    );
    expect(stored('deployments.apps', 'app').metadata.generation).toBe(1);
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: DEPLOYMENT_YAML('a') })).toBe(
      'deployment.apps/app unchanged\n',
    );
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: DEPLOYMENT_YAML('b') })).toBe(
      'deployment.apps/app configured\n',
    );
    const app = stored('deployments.apps', 'app');
    expect(app.metadata.generation).toBe(2);
    expect(deploymentSpec('app').template.spec.containers[0]!.env).toEqual([{ name: 'MODE', value: 'b' }]);
    expect(app.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain(
      '"MODE","value":"b"',
    );
  });

  it.skipIf(!binary)('sets an image and keeps the stored pull policy', async () => {
    expect(await kubectl.ok(['set', 'image', 'deployment/app', 'app=registry.local/app:latest'])).toBe(
      'deployment.apps/app image updated\n',
    );
    expect(deploymentSpec('app').template.spec.containers[0]).toMatchObject({
      image: 'registry.local/app:latest',
      imagePullPolicy: 'IfNotPresent',
    });
    const generation = stored('deployments.apps', 'app').metadata.generation;
    await kubectl.ok(['set', 'image', 'deployment/app', 'app=registry.local/app:latest']);
    expect(stored('deployments.apps', 'app').metadata.generation).toBe(generation);
    const missing = await kubectl.run(['set', 'image', 'deployment/app', 'nope=x:1']);
    expect(missing.stderr).toContain('unable to find container named "nope"');
  });

  it.skipIf(!binary)('scales through the scale subresource', async () => {
    expect(await kubectl.ok(['scale', 'deployment/app', '--replicas=5'])).toBe(
      'deployment.apps/app scaled\n',
    );
    expect(deploymentSpec('app').replicas).toBe(5);
  });

  it.skipIf(!binary)('patches the restartedAt annotation into the pod template', async () => {
    const before = stored('deployments.apps', 'app').metadata.generation!;
    const patch = JSON.stringify({
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-06-01T10:00:00Z' } },
        },
      },
    });
    expect(await kubectl.ok(['patch', 'deployment', 'app', '-p', patch])).toBe(
      'deployment.apps/app patched\n',
    );
    expect(deploymentSpec('app').template.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/restartedAt': '2025-06-01T10:00:00Z',
    });
    expect(stored('deployments.apps', 'app').metadata.generation).toBe(before + 1);
    const restart = await kubectl.ok(['rollout', 'restart', 'deployment/app']);
    expect(restart).toBe('deployment.apps/app restarted\n');
    expect(
      deploymentSpec('app').template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'],
    ).not.toBe('2025-06-01T10:00:00Z');
  });

  it.skipIf(!binary)('serves logs from the log source, with --previous and the kubelet error', async () => {
    expect(await kubectl.ok(['logs', 'web-1'])).toBe('listening on :80 (app)\n');
    expect(await kubectl.ok(['logs', 'crash-1', '--previous'])).toBe(
      'v2 starting\npanic: missing DATABASE_URL\n',
    );
    const waiting = await kubectl.run(['logs', 'crash-1']);
    expect(waiting.code).toBe(1);
    expect(waiting.stderr).toContain(
      'container "app" in pod "crash-1" is waiting to start: CrashLoopBackOff',
    );
  });

  it.skipIf(!binary)('reports errors as the real server does', async () => {
    const missing = await kubectl.run(['get', 'pod', 'nope']);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
    const bad = await kubectl.run(['apply', '-f', '-'], {
      stdin: DEPLOYMENT_YAML('a')
        .replace('labels: {app: app}\n    spec:', 'labels: {app: other}\n    spec:')
        .replace('name: app\n', 'name: bad\n'),
    });
    expect(bad.stderr).toContain(
      'The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    );
  });

  it.skipIf(!binary)('deletes pods by label: unbound pods at once, bound ones gracefully', async () => {
    await kubectl.ok(['run', 'loose', '--image=busybox:1.36', '--labels=app=loose,tier=x']);
    const loose = stored('pods', 'loose');
    expect((loose.spec as { containers: { imagePullPolicy: string }[] }).containers[0]!.imagePullPolicy).toBe(
      'IfNotPresent',
    );
    expect(await kubectl.ok(['delete', 'pod', '-l', 'app=loose'])).toBe('pod "loose" deleted\n');
    expect(sim.store.get('pods', 'default', 'loose')).toBeUndefined();
    expect(await kubectl.ok(['delete', 'pod', '-l', 'app=web', '--wait=false'])).toBe(
      'pod "web-1" deleted\npod "web-2" deleted\n',
    );
    const web1 = stored('pods', 'web-1');
    expect(web1.metadata.deletionTimestamp).toBeDefined();
    expect(web1.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(await kubectl.ok(['get', 'pod', 'web-1', '--no-headers'])).toMatch(
      /^web-1\s+1\/1\s+Terminating\s/,
    );
  });

  it.skipIf(!binary)('rollout status and wait follow a deployment through watch', async () => {
    await kubectl.ok(['create', 'deployment', 'rolling', '--image=nginx:1.25']);
    const status = kubectl.run(['rollout', 'status', 'deployment/rolling', '--timeout=15s']);
    const wait = kubectl.run(['wait', '--for=condition=Available', 'deployment/rolling', '--timeout=15s']);
    await new Promise((r) => setTimeout(r, 1500));
    const current = structuredClone(stored('deployments.apps', 'rolling'));
    current.status = {
      observedGeneration: current.metadata.generation,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: 'ReplicaSet "rolling-5d9c" has successfully progressed.',
        },
      ],
    };
    sim.store.update('deployments.apps', current);
    expect((await status).stdout).toContain('deployment "rolling" successfully rolled out');
    expect((await wait).stdout).toBe('deployment.apps/rolling condition met\n');
  });
});

describe.each(['1.27', '1.33'])('kubectl %s against the simulated API server', (version) => {
  const binary = kubectlBinary(version);
  let sim: SimApi;
  let kubectl: Kubectl;

  beforeAll(async () => {
    if (!binary) return;
    sim = await startSimApi({ logSource });
    sim.store.create('nodes', k3sNode('server-0', '10.0.0.10', { server: true }));
    sim.store.create('pods', runningPod('web-1', 'server-0', 'nginx:1.25', NGINX_ID, { app: 'web' }));
    kubectl = await kubectlFor(sim.api.url, binary);
  });
  afterAll(async () => {
    await kubectl?.dispose();
    await sim?.api.close();
  });

  it.skipIf(!binary)('gets, creates, applies, sets images, describes and reads logs', async () => {
    expect(await kubectl.ok(['get', 'pods', '-o', 'wide'])).toMatch(
      /\nweb-1\s+1\/1\s+Running\s+0\s+\d+s\s+10\.42\.0\.7\s+server-0\s/,
    );
    expect(await kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.25'])).toBe(
      'deployment.apps/web created\n',
    );
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: DEPLOYMENT_YAML('a') })).toBe(
      'deployment.apps/app created\n',
    );
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: DEPLOYMENT_YAML('b') })).toBe(
      'deployment.apps/app configured\n',
    );
    expect(await kubectl.ok(['set', 'image', 'deploy/web', 'nginx=nginx:1.26'])).toBe(
      'deployment.apps/web image updated\n',
    );
    const web = sim.store.get('deployments.apps', 'default', 'web')!;
    expect(
      (web.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!
        .image,
    ).toBe('nginx:1.26');
    expect(web.metadata.generation).toBe(2);
    expect(await kubectl.ok(['describe', 'pod', 'web-1'])).toMatch(
      /Image ID:\s+docker\.io\/library\/nginx@sha256:a{64}/,
    );
    expect(await kubectl.ok(['logs', 'web-1'])).toBe('listening on :80 (app)\n');
    const { stderr } = await kubectl.run(['get', 'deploy', 'web']);
    expect(stderr).toBe('');
  });
});
