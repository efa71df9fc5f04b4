import { afterEach, describe, expect, it } from 'vitest';
import { appImage, importSpecOf, startTestCluster, type TestCluster } from './support/cluster.js';

let cluster: TestCluster;
afterEach(async () => cluster?.close());

const running = (c: TestCluster, pod: string) => () => {
  const status = c.container(pod);
  return status?.state?.running ? status : undefined;
};

describe('pull policy decisions', () => {
  it('IfNotPresent reuses the cached digest after the tag moved; Always pulls the new one', async () => {
    cluster = await startTestCluster();
    const reg = `localhost:${cluster.registry.port}`;
    const v1 = cluster.push('app', 'latest', appImage({ 'io.kubefresh.sim.version': 'v1' }));
    cluster.pod('first', 'k3s-server', { image: `${reg}/app:latest`, imagePullPolicy: 'IfNotPresent' });
    const first = await cluster.until(running(cluster, 'first'), 'first pod running');
    expect(first.imageID).toBe(`${reg}/app@${v1.digest}`);
    expect(first.image).toBe(`${reg}/app:latest`);
    expect(first.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);

    const v2 = cluster.push('app', 'latest', appImage({ 'io.kubefresh.sim.version': 'v2' }));
    expect(v2.digest).not.toBe(v1.digest);
    cluster.pod('second', 'k3s-server', { image: `${reg}/app:latest`, imagePullPolicy: 'IfNotPresent' });
    const second = await cluster.until(running(cluster, 'second'), 'second pod running');
    expect(second.imageID).toBe(`${reg}/app@${v1.digest}`);
    expect(cluster.events('second').map((e) => [e.reason, e.message])).toContainEqual([
      'Pulled',
      `Container image "${reg}/app:latest" already present on machine`,
    ]);

    cluster.pod('third', 'k3s-server', { image: `${reg}/app:latest`, imagePullPolicy: 'Always' });
    const third = await cluster.until(running(cluster, 'third'), 'third pod running');
    expect(third.imageID).toBe(`${reg}/app@${v2.digest}`);
    const pulled = cluster.events('third').find((e) => e.reason === 'Pulled')!;
    expect(pulled.message).toMatch(
      new RegExp(
        `^Successfully pulled image "${reg}/app:latest" in [\\d.]+m?s \\([\\d.]+m?s including waiting\\)\\. Image size: \\d+ bytes\\.$`,
      ),
    );
    // The tag moved to v2 on this node; the pod still running v1 keeps its digest but loses the tag.
    const firstAgain = await cluster.until(() => {
      const s = cluster.container('first');
      return s?.image !== `${reg}/app:latest` ? s : undefined;
    }, 'first pod to lose its tag');
    expect(firstAgain.imageID).toBe(`${reg}/app@${v1.digest}`);
    expect(firstAgain.image).toBe((v1 as { config: { digest: string } }).config.digest);
  });

  it('a multi-platform tag shows the index digest as imageID on every architecture', async () => {
    cluster = await startTestCluster({ nodes: 2, architectures: ['amd64', 'arm64'], registryPorts: [] });
    cluster.kubelets.node('k3s-agent-1').network.setLocalRegistry(cluster.registry.port);
    cluster.kubelets.node('k3s-server').network.setLocalRegistry(cluster.registry.port);
    const reg = `127.0.0.1:${cluster.registry.port}`;
    const index = cluster.push('multi', 'v1', appImage(), ['linux/amd64', 'linux/arm64']);
    cluster.pod('amd', 'k3s-server', { image: `${reg}/multi:v1`, imagePullPolicy: 'IfNotPresent' });
    cluster.pod('arm', 'k3s-agent-1', { image: `${reg}/multi:v1`, imagePullPolicy: 'IfNotPresent' });
    const amd = await cluster.until(running(cluster, 'amd'), 'amd64 pod');
    const arm = await cluster.until(running(cluster, 'arm'), 'arm64 pod');
    expect(amd.imageID).toBe(`${reg}/multi@${index.digest}`);
    expect(arm.imageID).toBe(`${reg}/multi@${index.digest}`);
    const images = await cluster.kubelets.node('k3s-agent-1').listImages();
    expect(images).toHaveLength(1);
    expect(images[0]!.config.architecture).toBe('arm64');
  });

  it('an imported image gives a bare sha256 imageID; Never without it fails with ErrImageNeverPull', async () => {
    cluster = await startTestCluster({ nodes: 2 });
    const reg = `localhost:${cluster.registry.port}`;
    const artifact = cluster.push('imported', 'v1', appImage());
    const spec = importSpecOf(artifact);
    await cluster.kubelets.node('k3s-agent-1').importImage(`${reg}/imported:v1`, spec);
    cluster.pod('here', 'k3s-agent-1', { image: `${reg}/imported:v1`, imagePullPolicy: 'Never' });
    cluster.pod('there', 'k3s-server', { image: `${reg}/imported:v1`, imagePullPolicy: 'Never' });
    const here = await cluster.until(running(cluster, 'here'), 'imported pod running');
    expect(here.imageID).toBe(spec.id);
    expect(here.image).toBe(`${reg}/imported:v1`);
    const there = await cluster.until(() => {
      const s = cluster.container('there');
      return s?.state?.waiting?.reason === 'ErrImageNeverPull' ? s : undefined;
    }, 'ErrImageNeverPull');
    expect(there.state.waiting.message).toBe(
      `Container image "${reg}/imported:v1" is not present with pull policy of Never`,
    );
    expect(there.imageID).toBe('');
    expect(cluster.events('there').map((e) => e.reason)).toEqual(
      expect.arrayContaining(['ErrImageNeverPull', 'Failed']),
    );
    expect(cluster.get('there')!.status).toMatchObject({ phase: 'Pending' });
    // crictl rmi on the agent removes it: new IfNotPresent pods must pull (and may get another digest).
    expect(await cluster.kubelets.node('k3s-agent-1').removeImage(`${reg}/imported:v1`)).toBe(true);
    expect(await cluster.kubelets.node('k3s-agent-1').listImages()).toEqual([]);
  });

  it('an invalid image name fails with InvalidImageName and an InspectFailed event', async () => {
    cluster = await startTestCluster();
    cluster.pod('bad', 'k3s-server', { image: 'MyApp:v1', imagePullPolicy: 'IfNotPresent' });
    const status = await cluster.until(() => {
      const s = cluster.container('bad');
      return s?.state?.waiting?.reason === 'InvalidImageName' ? s : undefined;
    }, 'InvalidImageName');
    expect(status.state.waiting.message).toMatch(
      /^Failed to apply default image tag "MyApp:v1": couldn't parse image name "MyApp:v1": invalid reference format/,
    );
    expect(cluster.events('bad').find((e) => e.reason === 'InspectFailed')?.type).toBe('Warning');
  });
});
