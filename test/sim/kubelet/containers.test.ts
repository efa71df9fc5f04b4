import { afterEach, describe, expect, it } from 'vitest';
import { appImage, startTestCluster, type TestCluster } from './support/cluster.js';

let cluster: TestCluster;
afterEach(async () => cluster?.close());

const L = {
  exit: 'io.kubefresh.sim.exit-code',
  run: 'io.kubefresh.sim.run-duration',
  logs: 'io.kubefresh.sim.logs',
  env: 'io.kubefresh.sim.require-env',
  memory: 'io.kubefresh.sim.memory',
  ready: 'io.kubefresh.sim.ready-delay',
};

describe('container state machine', () => {
  it('a crashing container goes into CrashLoopBackOff with doubling back-off and previous logs', async () => {
    cluster = await startTestCluster({ speed: 400 });
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push(
      'app',
      'v2',
      appImage({ [L.exit]: '2', [L.run]: '50', [L.logs]: '["starting v2","panic: boom"]' }),
    );
    const pod = cluster.pod('crash', 'k3s-server', {
      image: `${reg}/app:v2`,
      imagePullPolicy: 'IfNotPresent',
    });
    const uid = pod.metadata.uid;
    const first = await cluster.seen(
      'crash',
      (s) => s.state?.waiting?.reason === 'CrashLoopBackOff',
      'CrashLoopBackOff',
    );
    expect(first.state.waiting.message).toBe(
      `back-off 10s restarting failed container=app pod=crash_default(${uid})`,
    );
    expect(first.lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(first.restartCount).toBe(1);
    expect(first.ready).toBe(false);
    await cluster.seen(
      'crash',
      (s) => s.state?.waiting?.message?.startsWith('back-off 40s'),
      'third back-off',
    );
    expect(cluster.get('crash')!.status).toMatchObject({ phase: 'Running' });
    const later = await cluster.seen(
      'crash',
      (s) => s.state?.waiting?.message?.startsWith('back-off 20s'),
      'second back-off',
    );
    expect(later.restartCount).toBe(2);
    const previous = cluster.kubelets.logSource('default', 'crash', 'app', { previous: true });
    expect(previous).toBe('starting v2\npanic: boom\n');
    expect(cluster.kubelets.logSource('default', 'crash', 'app', { previous: true, tailLines: 1 })).toBe(
      'panic: boom\n',
    );
    expect(cluster.kubelets.logSource('default', 'crash', 'app', { timestamps: true })).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z starting v2\n/,
    );
    const backoffEvent = cluster.events('crash').find((e) => e.reason === 'BackOff')!;
    expect(backoffEvent).toMatchObject({
      type: 'Warning',
      message: `Back-off restarting failed container app in pod crash_default(${uid})`,
      fieldPath: 'spec.containers{app}',
    });
    const reasons = cluster.events('crash').map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Pulling', 'Pulled', 'Created', 'Started', 'BackOff']));
  });

  it('restartPolicy Never: a failing container ends the pod Failed; exit 0 ends it Succeeded', async () => {
    cluster = await startTestCluster();
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push('job', 'fail', appImage({ [L.exit]: '3' }));
    cluster.push('job', 'ok', appImage({ [L.exit]: '0' }));
    cluster.pod('fail', 'k3s-server', { image: `${reg}/job:fail` }, { restartPolicy: 'Never' });
    cluster.pod('ok', 'k3s-server', { image: `${reg}/job:ok` }, { restartPolicy: 'Never' });
    await cluster.until(
      () => (cluster.get('fail')!.status as { phase?: string })?.phase === 'Failed',
      'Failed',
    );
    await cluster.until(
      () => (cluster.get('ok')!.status as { phase?: string })?.phase === 'Succeeded',
      'Succeeded',
    );
    expect(cluster.container('fail')!.state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(cluster.container('ok')!.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(cluster.container('ok')!.restartCount).toBe(0);
  });

  it('a missing ConfigMap key or ConfigMap: CreateContainerConfigError; optional refs are skipped', async () => {
    cluster = await startTestCluster();
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push('app', 'v1', appImage());
    cluster.store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
      data: { mode: 'fast' },
    });
    const env = (key: string, name = 'settings', optional = false) => [
      { name: 'X', valueFrom: { configMapKeyRef: { name, key, ...(optional ? { optional } : {}) } } },
    ];
    cluster.pod('nokey', 'k3s-server', { image: `${reg}/app:v1`, env: env('url') });
    cluster.pod('nomap', 'k3s-server', { image: `${reg}/app:v1`, env: env('url', 'absent') });
    cluster.pod('optional', 'k3s-server', { image: `${reg}/app:v1`, env: env('url', 'absent', true) });
    const waiting = (pod: string) =>
      cluster.until(() => {
        const s = cluster.container(pod);
        return s?.state?.waiting?.reason === 'CreateContainerConfigError'
          ? s.state.waiting.message
          : undefined;
      }, `${pod} config error`);
    expect(await waiting('nokey')).toBe("couldn't find key url in ConfigMap default/settings");
    expect(await waiting('nomap')).toBe('configmap "absent" not found');
    await cluster.until(() => cluster.container('optional')?.state?.running, 'optional pod running');
    expect(cluster.events('nokey').map((e) => e.message)).toContain(
      "Error: couldn't find key url in ConfigMap default/settings",
    );
  });

  it('memory above the limit is OOMKilled with exit 137; a missing required env exits 1 with a log line', async () => {
    cluster = await startTestCluster({ speed: 400 });
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push('hungry', 'v1', appImage({ [L.memory]: '512Mi' }));
    cluster.push('needy', 'v1', appImage({ [L.env]: 'DATABASE_URL' }));
    cluster.pod('oom', 'k3s-server', {
      image: `${reg}/hungry:v1`,
      resources: { limits: { memory: '128Mi' } },
    });
    cluster.pod('fits', 'k3s-server', {
      image: `${reg}/hungry:v1`,
      resources: { limits: { memory: '1Gi' } },
    });
    cluster.pod('needy', 'k3s-server', { image: `${reg}/needy:v1` });
    const oom = await cluster.until(
      () => cluster.container('oom')?.lastState?.terminated && cluster.container('oom'),
      'OOM',
    );
    expect(oom.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    const needy = await cluster.until(
      () => cluster.container('needy')?.lastState?.terminated && cluster.container('needy'),
      'env exit',
    );
    expect(needy.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(cluster.kubelets.logSource('default', 'needy', 'app', { previous: true })).toBe(
      'missing required environment variable DATABASE_URL\n',
    );
    expect(cluster.container('fits')!.state.running).toBeDefined();
    expect(cluster.container('fits')!.restartCount).toBe(0);
  });

  it('a missing executable is a StartError with exit 128', async () => {
    cluster = await startTestCluster({ speed: 400 });
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push('app', 'v1', appImage({ 'io.kubefresh.sim.executables': '/app' }));
    cluster.pod('typo', 'k3s-server', { image: `${reg}/app:v1`, command: ['/ap'] });
    const status = await cluster.until(
      () => cluster.container('typo')?.lastState?.terminated && cluster.container('typo'),
      'StartError',
    );
    expect(status.lastState.terminated).toMatchObject({ exitCode: 128, reason: 'StartError' });
    expect(status.lastState.terminated.message).toContain('exec: "/ap": executable file not found in $PATH');
  });

  it('readiness waits for the probe and ready delay; init containers run first', async () => {
    cluster = await startTestCluster({ speed: 100 });
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push('app', 'v1', appImage({ [L.ready]: '2000' }));
    cluster.push('init', 'v1', appImage({ [L.exit]: '0', [L.run]: '500' }));
    cluster.pod(
      'web',
      'k3s-server',
      { image: `${reg}/app:v1`, readinessProbe: { httpGet: { path: '/', port: 80 } } },
      { initContainers: [{ name: 'migrate', image: `${reg}/init:v1` }] },
    );
    const initializing = await cluster.until(() => {
      const pod = cluster.get('web')!;
      const status = pod.status as { initContainerStatuses?: { state: { running?: unknown } }[] } | undefined;
      return status?.initContainerStatuses?.[0]?.state.running ? pod : undefined;
    }, 'init container running');
    const conditions = (
      initializing.status as { conditions: { type: string; status: string; message?: string }[] }
    ).conditions;
    expect(conditions.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      message: 'containers with incomplete status: [migrate]',
    });
    expect(cluster.container('web')!.state.waiting.reason).toBe('PodInitializing');
    const running = await cluster.until(
      () => cluster.container('web')?.state?.running && cluster.container('web'),
      'app running',
    );
    expect(running.ready).toBe(false);
    await cluster.until(() => cluster.container('web')?.ready, 'ready');
    const ready = (cluster.get('web')!.status as { conditions: { type: string; status: string }[] })
      .conditions;
    expect(
      ready
        .filter((c) => c.status === 'True')
        .map((c) => c.type)
        .sort(),
    ).toEqual(['ContainersReady', 'Initialized', 'PodReadyToStartContainers', 'PodScheduled', 'Ready']);
    expect(cluster.get('web')!.status).toMatchObject({
      phase: 'Running',
      hostIP: '10.0.0.2',
      qosClass: 'BestEffort',
    });
    const init = (cluster.get('web')!.status as { initContainerStatuses: Record<string, unknown>[] })
      .initContainerStatuses[0]!;
    expect(init).toMatchObject({
      name: 'migrate',
      ready: true,
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
    });
  });

  it('logs answer like the kubelet when there is no instance to read', async () => {
    cluster = await startTestCluster();
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push('app', 'v1', appImage({ [L.logs]: 'listening on :8080' }));
    cluster.pod('fine', 'k3s-server', { image: `${reg}/app:v1` });
    cluster.pod('nopull', 'k3s-server', { image: `${reg}/app:nope` });
    await cluster.until(() => cluster.container('fine')?.state?.running, 'running');
    await cluster.until(
      () => cluster.kubelets.logSource('default', 'fine', 'app', {}) === 'listening on :8080\n',
      'log',
    );
    expect(cluster.kubelets.logSource('default', 'fine', 'app', { previous: true })).toEqual({
      notFound: 'previous terminated container "app" in pod "fine" not found',
    });
    const reason = await cluster.until(() => {
      const waiting = cluster.container('nopull')?.state?.waiting?.reason;
      return waiting === 'ErrImagePull' || waiting === 'ImagePullBackOff' ? waiting : undefined;
    }, 'pull error');
    // Which of the kubelet's two wordings depends on where in the pull/back-off cycle the pod is.
    const why = reason === 'ErrImagePull' ? "image can't be pulled" : 'trying and failing to pull image';
    const answer = cluster.kubelets.logSource('default', 'nopull', 'app', {});
    expect([
      { notFound: `container "app" in pod "nopull" is waiting to start: ${why}` },
      { notFound: 'container "app" in pod "nopull" is waiting to start: trying and failing to pull image' },
    ]).toContainEqual(answer);
  });

  it('a pod marked for deletion is stopped (Killing) and removed from the store', async () => {
    cluster = await startTestCluster();
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push('app', 'v1', appImage());
    cluster.pod('doomed', 'k3s-server', { image: `${reg}/app:v1` });
    await cluster.until(() => cluster.container('doomed')?.state?.running, 'running');
    const pod = structuredClone(cluster.get('doomed')!);
    pod.metadata.deletionTimestamp = new Date().toISOString();
    pod.metadata.deletionGracePeriodSeconds = 30;
    cluster.store.update('pods', pod);
    await cluster.until(() => !cluster.get('doomed'), 'pod removed');
    expect(cluster.events('doomed').find((e) => e.reason === 'Killing')?.message).toBe(
      'Stopping container app',
    );
  });
});

describe('pod spec changes', () => {
  it('a new image on a live pod restarts the container on it at once, even out of a crash loop', async () => {
    cluster = await startTestCluster({ speed: 100 });
    const reg = `localhost:${cluster.registry.port}`;
    cluster.push('app', 'bad', appImage({ [L.exit]: '1' }));
    const good = cluster.push('app', 'good', appImage());
    cluster.pod('fixme', 'k3s-server', { image: `${reg}/app:bad` });
    await cluster.until(
      () => cluster.container('fixme')?.state?.waiting?.reason === 'CrashLoopBackOff',
      'crash loop',
    );
    const pod = structuredClone(cluster.get('fixme')!);
    (pod.spec as { containers: { image: string }[] }).containers[0]!.image = `${reg}/app:good`;
    delete pod.metadata.resourceVersion;
    cluster.store.update('pods', pod);
    // The crash-loop back-off (10 s = 100 ms here, and growing) does not delay the new spec.
    const status = await cluster.until(
      () => cluster.container('fixme')?.state?.running && cluster.container('fixme'),
      'running',
      3000,
    );
    expect(status.imageID).toBe(`${reg}/app@${good.digest}`);
    expect(status.image).toBe(`${reg}/app:good`);

    cluster.push('app', 'v3', appImage({ v: '3' }));
    const next = structuredClone(cluster.get('fixme')!);
    (next.spec as { containers: { image: string }[] }).containers[0]!.image = `${reg}/app:v3`;
    delete next.metadata.resourceVersion;
    cluster.store.update('pods', next);
    await cluster.until(() => cluster.container('fixme')?.image === `${reg}/app:v3`, 'restarted on v3');
    expect(cluster.events('fixme').map((e) => e.message)).toContain(
      'Container app definition changed, will be restarted',
    );
    expect(cluster.container('fixme')!.lastState.terminated.reason).toBe('Completed');
  });
});
