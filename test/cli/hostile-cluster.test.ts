import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../src/sim/cluster/index.js';
import { scenarioApi } from '../../src/sim/scenarios/api.js';
import { actions, appImage } from '../../src/sim/scenarios/index.js';
import { registryFlags } from '../pipeline/doctor/support.js';
import { ArgvSandbox } from '../support/argv-stub.js';
import { runKubefresh } from '../support/cli.js';

/**
 * What anyone allowed to post Events or edit a workload can put in front of an operator: text that
 * must reach the terminal as text, and fix lines that run exactly the command they show.
 */
describe('doctor and history against hostile cluster text', () => {
  let cluster: SimCluster;
  const ns = 'hostile';
  const sandbox = new ArgvSandbox(['kubectl', 'kubefresh']);
  const kf = (...args: string[]) =>
    runKubefresh([...args, '--kubeconfig', cluster.kubeconfigPath, '-n', ns, ...registryFlags(cluster)], {
      env: { HOME: '/nonexistent' },
    });
  const history = (...args: string[]) =>
    runKubefresh(['history', 'deployment/web', ...args, '--kubeconfig', cluster.kubeconfigPath, '-n', ns], {
      env: { HOME: '/nonexistent' },
    });
  let pod: string;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 1, speed: 100 });
    const registry = cluster.registry!.name;
    const act = actions(cluster, ns);
    await act.namespace();
    await cluster.pushImage(`${registry}/h/web:v1`, appImage('v1'));
    await cluster.pushImage(`${registry}/h/web:v2`, appImage('v2'));
    await act.deploy({ name: 'web', image: `${registry}/h/web:v1`, replicas: 1 });
    await act.setImage('web', `${registry}/h/web:v2`, 'deploy v2 \x1b]52;c;dG91Y2ggUFdORUQ=\x07\x1b[2J');
    await act.waitForRollout('web');
    const pods = (await scenarioApi(cluster.apiUrl).get(`/api/v1/namespaces/${ns}/pods`)) as {
      items: { metadata: { name: string } }[];
    };
    pod = pods.items[0]!.metadata.name;
  });
  afterAll(async () => {
    await cluster?.stop();
    sandbox.dispose();
  });

  it('a FailedMount Event posted against a Ready pod neither fails it nor puts its text in a fix', async () => {
    await scenarioApi(cluster.apiUrl).create(`/api/v1/namespaces/${ns}/events`, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod}.forged`, namespace: ns },
      involvedObject: { kind: 'Pod', namespace: ns, name: pod, apiVersion: 'v1' },
      reason: 'FailedMount',
      type: 'Warning',
      message:
        'MountVolume.SetUp failed for volume "cfg" : couldn\'t find key x in ConfigMap default/$(touch${IFS}PWNED)',
      source: { component: 'kubelet' },
      count: 1,
    });
    const text = await kf('doctor', 'deployment/web');
    expect(text.stdout).not.toContain('CONFIG_MISSING');
    expect(text.stdout).not.toContain('$(touch');
    const json = JSON.parse((await kf('doctor', 'deployment/web', '-o', 'json')).stdout);
    expect(json.findings.map((f: { code: string }) => f.code)).not.toContain('CONFIG_MISSING');
    for (const command of json.findings.flatMap(
      (f: { remedy: { commands: string[] } }) => f.remedy.commands,
    )) {
      const pasted = sandbox.paste(command);
      expect(pasted.calls.filter((c) => c.unknown)).toEqual([]);
      expect(pasted.created).toEqual([]);
    }
  });

  it('history shows a change-cause with terminal controls escaped; JSON keeps it exact', async () => {
    const text = await history();
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('deploy v2 \\x1b]52;c;dG91Y2ggUFdORUQ=\\x07\\x1b[2J');
    expect(text.stdout).not.toMatch(/\x1b\]|\x07/);
    const json = JSON.parse((await history('-o', 'json')).stdout);
    expect(JSON.stringify(json)).toContain('deploy v2 \\u001b]52;c;dG91Y2ggUFdORUQ=\\u0007\\u001b[2J');
  });
});
