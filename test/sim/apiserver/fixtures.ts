import { type ApiServer, type LogSource, startApiServer } from '../../../src/sim/apiserver/index.js';
import { ScaledClock } from '../../../src/sim/clock.js';
import { EventRecorder } from '../../../src/sim/events/index.js';
import { type KubeObject, ObjectStore } from '../../../src/sim/store/index.js';

export interface SimApi {
  readonly store: ObjectStore;
  readonly clock: ScaledClock;
  readonly api: ApiServer;
}

/** A store, a real-time clock and an API server on 127.0.0.1 (no controllers, no kubelets). */
export async function startSimApi(
  options: { logSource?: LogSource; bookmarkIntervalMs?: number } = {},
): Promise<SimApi> {
  const clock = new ScaledClock(1);
  const store = new ObjectStore(clock);
  const api = await startApiServer({ store, clock, ...options });
  return { store, clock, api };
}

export function k3sNode(
  name: string,
  ip: string,
  options: { server?: boolean; arch?: string } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/arch': options.arch ?? 'amd64',
        'kubernetes.io/os': 'linux',
        ...(options.server
          ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' }
          : {}),
      },
    },
    spec: { podCIDR: '10.42.0.0/24' },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      nodeInfo: {
        architecture: options.arch ?? 'amd64',
        containerRuntimeVersion: 'containerd://2.0.5-k3s1',
        kernelVersion: '6.1.0-31-amd64',
        kubeletVersion: 'v1.32.5+k3s1',
        kubeProxyVersion: 'v1.32.5+k3s1',
        operatingSystem: 'linux',
        osImage: 'K3s v1.32.5+k3s1',
      },
      images: [
        {
          names: [`docker.io/library/nginx@sha256:${'a'.repeat(64)}`, 'docker.io/library/nginx:1.25'],
          sizeBytes: 72_000_000,
        },
      ],
    },
  };
}

/** Node addresses the fixtures use, so pods can report their `hostIP`. */
export const NODE_IPS: Record<string, string> = { 'server-0': '10.0.0.10', 'agent-1': '10.0.0.11' };

/** A pod bound to `node` whose one container is running `image` with `imageID`. */
export function runningPod(
  name: string,
  node: string,
  image: string,
  imageID: string,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { nodeName: node, containers: [{ name: 'app', image, imagePullPolicy: 'IfNotPresent' }] },
    status: {
      phase: 'Running',
      hostIP: NODE_IPS[node] ?? '10.0.0.99',
      podIP: '10.42.0.7',
      podIPs: [{ ip: '10.42.0.7' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'app',
          image,
          imageID,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
          containerID: `containerd://${'c'.repeat(64)}`,
        },
      ],
    },
  };
}

/** A pod in CrashLoopBackOff after `restarts` restarts. */
export function crashingPod(name: string, node: string, restarts: number, finishedAt: string): KubeObject {
  const pod = runningPod(name, node, 'app:v2', `docker.io/library/app@sha256:${'b'.repeat(64)}`, {
    app: 'crash',
  });
  (pod.status as Record<string, unknown>).phase = 'Running';
  (pod.status as Record<string, unknown>).containerStatuses = [
    {
      name: 'app',
      image: 'docker.io/library/app:v2',
      imageID: `docker.io/library/app@sha256:${'b'.repeat(64)}`,
      ready: false,
      started: false,
      restartCount: restarts,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt } },
    },
  ];
  return pod;
}

export function recorder(
  store: ObjectStore,
  clock: ScaledClock,
  component: string,
  host?: string,
): EventRecorder {
  return new EventRecorder(store, clock, { component, ...(host ? { host } : {}) });
}
