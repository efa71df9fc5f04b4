import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import { buildMultiPlatformImage } from '../../../src/sim/images/index.js';
import { appImage } from '../../../src/sim/scenarios/index.js';
import { type Kubectl, kubectlBinary, kubectlFor } from '../../support/kubectl.js';

// biome-ignore lint/suspicious/noExplicitAny: status JSON is asserted field by field
type Any = any;

const binary = kubectlBinary();

describe('startSimCluster', () => {
  let cluster: SimCluster;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 3, arch: ['amd64', 'arm64'], speed: 100 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('registers K3s-like nodes: the server first, agents after, architectures cycled', () => {
    expect(cluster.nodeNames).toEqual(['k3s-server', 'k3s-agent-1', 'k3s-agent-2']);
    const nodes = cluster.nodeNames.map((name) => cluster.store.get('nodes', undefined, name) as Any);
    expect(nodes.map((n) => n.status.nodeInfo.architecture)).toEqual(['amd64', 'arm64', 'amd64']);
    expect(nodes[0].metadata.labels['node-role.kubernetes.io/control-plane']).toBe('true');
    expect(nodes[1].metadata.labels['node-role.kubernetes.io/control-plane']).toBeUndefined();
    expect(cluster.node('k3s-agent-1').role).toBe('agent');
    expect(() => cluster.node('k3s-agent-7')).toThrow('no node named "k3s-agent-7"');
  });

  it('names the registry three ways and pushes to any of them', async () => {
    const registry = cluster.registry!;
    expect(registry.name).toBe(`registry.sim:${registry.port}`);
    expect(registry.localName).toBe(`localhost:${registry.port}`);
    expect(registry.url).toBe(`http://127.0.0.1:${registry.port}`);
    expect(registry.node).toBe('k3s-server');
    const a = await cluster.pushImage(`${registry.name}/t/app:v1`, appImage('v1'));
    expect(registry.registry.resolveTag('t/app', 'v1')).toBe(a.digest);
    const b = await cluster.pushImage(`127.0.0.1:${registry.port}/t/app:v2`, appImage('v2'));
    expect(registry.registry.resolveTag('t/app', 'v2')).toBe(b.digest);
    await expect(cluster.pushImage('quay.io/t/app:v1', appImage('v1'))).rejects.toThrow(
      /names registry "quay.io", which this cluster does not run \(registry.sim:\d+\)/,
    );
  });

  it("imports an image into one node only, keeping that node's platform of an index", async () => {
    const index = buildMultiPlatformImage(appImage('multi'), ['linux/amd64', 'linux/arm64']);
    const onArm = await cluster.node('k3s-agent-1').importImage('app:multi', index);
    expect(onArm.config.architecture).toBe('arm64');
    expect(onArm.id).toBe(index.manifests[1]!.config.digest);
    expect(onArm.repoTags).toEqual(['docker.io/library/app:multi']);
    expect(onArm.repoDigests).toEqual([]);
    expect(
      (await cluster.node('k3s-agent-2').images()).some((i) =>
        i.repoTags.includes('docker.io/library/app:multi'),
      ),
    ).toBe(false);
    expect(await cluster.node('k3s-agent-1').removeImage('app:multi')).toBe(true);
    expect(await cluster.node('k3s-agent-1').removeImage('app:multi')).toBe(false);
  });

  it('adds a network registry every node reaches by name, with its auth', async () => {
    const added = await cluster.addRegistry({
      name: 'extra.sim',
      auth: { type: 'basic', users: { u: 'p' } },
    });
    expect(added.name).toMatch(/^extra\.sim:\d+$/);
    expect(added.node).toBeUndefined();
    await expect(cluster.addRegistry({ name: 'extra.sim' })).rejects.toThrow('already runs');
    const pushed = await cluster.pushImage(`${added.name}/t/app:v1`, appImage('v1'));
    const anonymous = await fetch(`${added.url}/v2/t/app/manifests/v1`, { method: 'HEAD' });
    expect(anonymous.status).toBe(401);
    expect(cluster.registries().map((r) => r.name)).toEqual([cluster.registry!.name, added.name]);
    expect(pushed.digest).toMatch(/^sha256:/);
  });

  it.skipIf(!binary)('serves real kubectl, whose pods run on every node from registry.sim', async () => {
    const kubectl: Kubectl = await kubectlFor(cluster.apiUrl, binary!);
    try {
      const ref = `${cluster.registry!.name}/t/web:v1`;
      const index = buildMultiPlatformImage(appImage('v1'), ['linux/amd64', 'linux/arm64']);
      await cluster.pushImage(ref, index);
      await kubectl.ok(['create', 'deployment', 'web', `--image=${ref}`, '--replicas=3']);
      await kubectl.ok(['rollout', 'status', 'deployment/web', '--timeout=30s']);
      const wide = await kubectl.ok(['get', 'pods', '-o', 'wide', '--no-headers']);
      for (const node of cluster.nodeNames) expect(wide).toContain(node);
      const ids = (
        await kubectl.ok(['get', 'pods', '-o', 'jsonpath={.items[*].status.containerStatuses[0].imageID}'])
      ).split(' ');
      // Every node, amd64 or arm64, reports the index digest the tag names.
      expect(new Set(ids)).toEqual(new Set([`${cluster.registry!.name}/t/web@${index.digest}`]));
    } finally {
      await kubectl.dispose();
    }
  });
});

describe('startSimCluster options', () => {
  it('runs without a registry and removes its temporary kubeconfig on stop', async () => {
    const cluster = await startSimCluster({ nodes: 1, withRegistry: false, speed: 100 });
    expect(cluster.registry).toBeUndefined();
    expect(existsSync(cluster.kubeconfigPath)).toBe(true);
    await expect(cluster.pushImage('registry.sim:5000/app:v1', appImage('v1'))).rejects.toThrow(
      'none (started with withRegistry: false)',
    );
    await cluster.stop();
    expect(existsSync(cluster.kubeconfigPath)).toBe(false);
  });

  it('rejects a node count that is not a positive whole number', async () => {
    await expect(startSimCluster({ nodes: 0 })).rejects.toThrow('nodes must be a whole number >= 1, got 0');
  });

  it('applies API faults given at start', async () => {
    const cluster = await startSimCluster({ nodes: 1, withRegistry: false, faults: { errorRate: 1 } });
    try {
      const response = await fetch(`${cluster.apiUrl}/api/v1/namespaces`);
      expect(response.status).toBe(500);
      cluster.api.setFaults({});
      expect((await fetch(`${cluster.apiUrl}/api/v1/namespaces`)).status).toBe(200);
    } finally {
      await cluster.stop();
    }
  });
});
