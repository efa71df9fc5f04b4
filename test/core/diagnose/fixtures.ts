import type {
  ClusterSnapshot,
  ContainerStatus,
  EventObject,
  NodeObject,
  PodObject,
  RegistryFact,
  WorkloadObject,
} from '../../../src/core/diagnose/index.js';

/** `sha256:` + 64 copies of `c`. */
export const D = (c: string): string => `sha256:${c.repeat(64)}`;

export const IMAGE = '127.0.0.1:5000/app:v1';

export function deployment(
  name: string,
  image: string = IMAGE,
  options: { policy?: string; revision?: number; status?: WorkloadObject['status']; replicas?: number } = {},
): WorkloadObject {
  return {
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      generation: 1,
      annotations: { 'deployment.kubernetes.io/revision': String(options.revision ?? 1) },
    },
    spec: {
      replicas: options.replicas ?? 2,
      template: {
        spec: { containers: [{ name: 'app', image, imagePullPolicy: options.policy ?? 'IfNotPresent' }] },
      },
    },
    status: options.status ?? {
      observedGeneration: 1,
      replicas: options.replicas ?? 2,
      updatedReplicas: options.replicas ?? 2,
      availableReplicas: options.replicas ?? 2,
      readyReplicas: options.replicas ?? 2,
    },
  };
}

export function replicaSet(owner: string, hash: string, revision = 1): WorkloadObject {
  return {
    kind: 'ReplicaSet',
    metadata: {
      name: `${owner}-${hash}`,
      namespace: 'default',
      uid: `uid-${owner}-${hash}`,
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [{ kind: 'Deployment', name: owner, uid: `uid-${owner}` }],
    },
  };
}

export function runningStatus(imageID: string, image = IMAGE): ContainerStatus {
  return {
    name: 'app',
    image,
    imageID,
    ready: true,
    restartCount: 0,
    state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
  };
}

export function pod(
  name: string,
  rs: string | undefined,
  node: string | undefined,
  status: ContainerStatus | undefined,
  options: {
    image?: string;
    phase?: string;
    conditions?: NonNullable<PodObject['status']>['conditions'];
  } = {},
): PodObject {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ...(rs === undefined ? {} : { ownerReferences: [{ kind: 'ReplicaSet', name: rs, uid: `uid-${rs}` }] }),
    },
    spec: {
      ...(node === undefined ? {} : { nodeName: node }),
      containers: [{ name: 'app', image: options.image ?? IMAGE, imagePullPolicy: 'IfNotPresent' }],
    },
    status: {
      phase: options.phase ?? (status?.state?.running ? 'Running' : 'Pending'),
      ...(status === undefined ? {} : { containerStatuses: [status] }),
      ...(options.conditions === undefined ? {} : { conditions: options.conditions }),
    },
  };
}

export function node(name: string, arch = 'amd64', images: { names: string[] }[] = []): NodeObject {
  return {
    metadata: { name },
    status: {
      nodeInfo: { operatingSystem: 'linux', architecture: arch },
      addresses: [{ type: 'InternalIP', address: `10.0.0.${name.replace(/\D/g, '') || '1'}` }],
      images,
    },
  };
}

export function podEvent(podName: string, reason: string, message: string, type = 'Warning'): EventObject {
  return {
    metadata: { name: `${podName}.1`, namespace: 'default' },
    involvedObject: { kind: 'Pod', name: podName, namespace: 'default', fieldPath: 'spec.containers{app}' },
    reason,
    message,
    type,
    lastTimestamp: '2026-01-01T00:00:10Z',
  };
}

export const OK_FACT = (digest: string, extra: Partial<RegistryFact & { ok: true }> = {}): RegistryFact => ({
  ok: true,
  digest,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  ...extra,
});

export function snapshot(parts: Partial<ClusterSnapshot>): ClusterSnapshot {
  return { workloads: [], replicaSets: [], pods: [], nodes: [], events: [], registry: {}, ...parts };
}

/** A Deployment `web` with one ReplicaSet and the given pods (pods built with rs `web-abc`). */
export function web(
  pods: PodObject[],
  registry: Record<string, RegistryFact>,
  options: {
    image?: string;
    policy?: string;
    nodes?: NodeObject[];
    events?: EventObject[];
    status?: WorkloadObject['status'];
  } = {},
): ClusterSnapshot {
  return snapshot({
    workloads: [
      deployment('web', options.image ?? IMAGE, {
        policy: options.policy ?? 'IfNotPresent',
        ...(options.status ? { status: options.status } : {}),
      }),
    ],
    replicaSets: [replicaSet('web', 'abc')],
    pods,
    nodes: options.nodes ?? [node('node-1'), node('node-2')],
    events: options.events ?? [],
    registry,
  });
}
