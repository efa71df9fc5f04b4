import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type ApiServer, startApiServer } from '../../../src/sim/apiserver/index.js';
import { type Kubectl, kubectlBinary, kubectlFor } from '../../support/kubectl.js';
import { startTestCluster, type TestCluster } from '../controllers/support/cluster.js';
import { manifest } from './support.js';

const binary = kubectlBinary();

/** Real kubectl 1.32 against the simulated control plane, on StatefulSets and DaemonSets. */
describe.skipIf(!binary)('kubectl on StatefulSets and DaemonSets', () => {
  let cluster: TestCluster;
  let api: ApiServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    cluster = startTestCluster({ speed: 10 });
    api = await startApiServer({ store: cluster.store, clock: cluster.clock });
    for (const name of ['server-0', 'agent-1']) cluster.node(name);
    kubectl = await kubectlFor(api.url, binary!);
    const docs = [manifest('StatefulSet', 'db', { replicas: 2 }), manifest('DaemonSet', 'agent')];
    await kubectl.ok(['apply', '-f', '-'], { stdin: docs.map((d) => stringify(d)).join('---\n') });
  });

  afterAll(async () => {
    cluster?.stop();
    await kubectl?.dispose();
    await api?.close();
    expect(cluster?.errors).toEqual([]);
  });

  it('serves the kinds with defaults, short names and kubectl columns', async () => {
    expect(await kubectl.ok(['rollout', 'status', 'sts/db', '--timeout=20s'])).toContain(
      'partitioned roll out complete: 2 new pods have been updated...',
    );
    expect(await kubectl.ok(['rollout', 'status', 'ds/agent', '--timeout=20s'])).toContain(
      'daemon set "agent" successfully rolled out',
    );
    const table = await kubectl.ok(['get', 'sts,ds']);
    expect(table).toMatch(/^NAME\s+READY\s+AGE\nstatefulset\.apps\/db\s+2\/2\s+\S+/m);
    expect(table).toMatch(
      /NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\ndaemonset\.apps\/agent\s+2\s+2\s+2\s+2\s+2\s+<none>\s+\S+/,
    );
    expect(await kubectl.ok(['get', 'sts', '-o', 'wide'])).toMatch(
      /CONTAINERS\s+IMAGES\n.*app\s+registry\.local\/app:v1/,
    );
    expect(await kubectl.ok(['get', 'pods', '-l', 'app=db', '-o', 'name'])).toBe('pod/db-0\npod/db-1\n');
    const sts = JSON.parse(await kubectl.ok(['get', 'sts/db', '-o', 'json']));
    expect(sts.spec).toMatchObject({
      podManagementPolicy: 'OrderedReady',
      revisionHistoryLimit: 10,
      serviceName: 'db',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    });
    const ds = JSON.parse(await kubectl.ok(['get', 'ds/agent', '-o', 'json']));
    expect(ds.spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    expect(ds.metadata.annotations['deprecated.daemonset.template.generation']).toBe('1');
    expect(await kubectl.ok(['get', 'controllerrevisions'])).toMatch(/statefulset\.apps\/db\s+1/);
  });

  it.each([
    ['sts/db', 'statefulset.apps/db', 'app=db'],
    ['ds/agent', 'daemonset.apps/agent', 'app=agent'],
  ])('set image, rollout history and rollout undo on %s', async (ref, full, selector) => {
    await kubectl.ok(['rollout', 'status', ref, '--timeout=20s']);
    await kubectl.ok(['set', 'image', ref, 'app=registry.local/app:v2']);
    await kubectl.ok(['annotate', '--overwrite', ref, 'kubernetes.io/change-cause=ship v2']);
    await kubectl.ok(['rollout', 'status', ref, '--timeout=20s']);
    const images = async () =>
      (
        await kubectl.ok([
          'get',
          'pods',
          '-l',
          selector,
          '-o',
          'jsonpath={.items[*].spec.containers[0].image}',
        ])
      )
        .split(' ')
        .sort();
    expect(await images()).toEqual(['registry.local/app:v2', 'registry.local/app:v2']);
    const history = await kubectl.ok(['rollout', 'history', ref]);
    expect(history).toMatch(
      new RegExp(`^${full.replace('.', '\\.')}\\s*\\nREVISION\\s+CHANGE-CAUSE\\n1\\s+<none>\\n2\\s+`, 'm'),
    );
    expect(await kubectl.ok(['rollout', 'history', ref, '--revision=1'])).toContain('registry.local/app:v1');

    expect(await kubectl.ok(['rollout', 'undo', ref])).toContain(`${full} rolled back`);
    await kubectl.ok(['rollout', 'status', ref, '--timeout=20s']);
    // the controller may still be replacing the last pod when status reports done for a DaemonSet
    for (let i = 0; i < 100 && (await images()).some((x) => x.endsWith(':v2')); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await images()).toEqual(['registry.local/app:v1', 'registry.local/app:v1']);
    const after = await kubectl.ok(['rollout', 'history', ref]);
    expect(after).toMatch(/^2\s+/m);
    expect(after).toMatch(/^3\s+/m);
    expect(after).not.toMatch(/^1\s+/m);
    expect(await kubectl.ok(['rollout', 'undo', ref, '--to-revision=3'])).toContain(
      'skipped rollback (current template already matches revision 3)',
    );
  });
});
