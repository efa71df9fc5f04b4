import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { appImage, importSpecOf, startTestCluster, type TestCluster } from '../kubelet/support/cluster.js';

let cluster: TestCluster;
afterEach(async () => cluster?.close());

interface NodeStatus {
  images: { names: string[]; sizeBytes: number }[];
  nodeInfo: Record<string, string>;
  conditions: { type: string; status: string; reason: string }[];
  addresses: { type: string; address: string }[];
}

describe('simulated nodes', () => {
  it('register like K3s nodes: server role, versions, mixed architectures, Ready', async () => {
    cluster = await startTestCluster({ nodes: 3, architectures: ['amd64', 'arm64'] });
    const nodes = cluster.store.list('nodes').items;
    expect(nodes.map((n) => n.metadata.name)).toEqual(['k3s-server', 'k3s-agent-1', 'k3s-agent-2']);
    const [server, agent] = nodes;
    expect(server!.metadata.labels).toMatchObject({ 'node-role.kubernetes.io/control-plane': 'true' });
    expect(agent!.metadata.labels!['node-role.kubernetes.io/control-plane']).toBeUndefined();
    const info = (agent!.status as NodeStatus).nodeInfo;
    expect(info).toMatchObject({
      kubeletVersion: 'v1.32.5+k3s1',
      architecture: 'arm64',
      operatingSystem: 'linux',
    });
    expect(info.containerRuntimeVersion).toMatch(/^containerd:\/\/1\.7\.\d+-k3s1$/);
    expect((server!.status as NodeStatus).conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'KubeletReady',
    });
    expect((agent!.status as NodeStatus).addresses).toContainEqual({
      type: 'InternalIP',
      address: '10.0.0.3',
    });
  });

  it('node.status.images follows pulls and imports, capped by nodeStatusMaxImages', async () => {
    cluster = await startTestCluster({ nodeStatusMaxImages: 2 });
    const reg = `localhost:${cluster.registry.port}`;
    const kubelet = cluster.kubelets.node('k3s-server');
    const pushed = cluster.push('app', 'v1', appImage());
    cluster.pod('p', 'k3s-server', { image: `${reg}/app:v1` });
    const images = () => (cluster.store.get('nodes', undefined, 'k3s-server')!.status as NodeStatus).images;
    await cluster.until(() => images().length === 1, 'pulled image listed');
    expect(images()[0]!.names).toEqual([`${reg}/app@${pushed.digest}`, `${reg}/app:v1`]);
    for (const version of ['a', 'b', 'c']) {
      const artifact = cluster.push(
        'other',
        version,
        appImage({ v: version }, { layers: [{ f: randomBytes(4000).toString('hex') }] }),
      );
      await kubelet.importImage(`${reg}/other:${version}`, importSpecOf(artifact));
    }
    await cluster.until(() => images().every((i) => i.names[0]!.includes('other')), 'imports listed');
    expect(images()).toHaveLength(2);
    expect((await kubelet.listImages()).length).toBe(4);
  });
});
