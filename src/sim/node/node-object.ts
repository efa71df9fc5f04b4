import type { Clock } from '../../ports/clock.js';
import { apiTime } from '../clock.js';
import type { KubeObject } from '../store/index.js';

/** What K3s v1.32 reports for its embedded kubelet and containerd. */
export const K3S_KUBELET_VERSION = 'v1.32.5+k3s1';
export const K3S_CONTAINERD_VERSION = 'containerd://1.7.27-k3s1';

export interface NodeSpec {
  /** Node name; K3s uses the hostname (`k3s-server`, `k3s-agent-1`, …). */
  readonly name: string;
  /** Server nodes carry the control-plane role labels. */
  readonly role: 'server' | 'agent';
  /** `amd64`, `arm64`, `arm`…  Default: `amd64`. */
  readonly architecture?: string | undefined;
  /** Position in the cluster; decides the node's InternalIP (10.0.0.N+2) and pod CIDR (10.42.N.0/24). */
  readonly index: number;
  readonly osImage?: string | undefined;
  readonly cpu?: string | undefined;
  /** Memory capacity, e.g. `8131520Ki`. */
  readonly memory?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
}

/** K3s-like node names: the first node is the server, the rest are agents. */
export function k3sNodeNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? 'k3s-server' : `k3s-agent-${i}`));
}

export function nodeInternalIP(index: number): string {
  return `10.0.0.${index + 2}`;
}

/** The pod IP the node hands out for its `ordinal`-th sandbox, inside `10.42.<index>.0/24`. */
export function podIPFor(index: number, ordinal: number): string {
  return `10.42.${index}.${(ordinal % 250) + 2}`;
}

/** A core/v1 Node object as a freshly registered K3s node reports it. */
export function buildNodeObject(spec: NodeSpec, clock: Clock): KubeObject {
  const arch = spec.architecture ?? 'amd64';
  const now = apiTime(clock.now());
  const ip = nodeInternalIP(spec.index);
  const cpu = spec.cpu ?? '4';
  const memory = spec.memory ?? '8131520Ki';
  const roleLabels: Record<string, string> =
    spec.role === 'server'
      ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' }
      : {};
  const id = stableHex(spec.name, 32);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'beta.kubernetes.io/arch': arch,
        'beta.kubernetes.io/instance-type': 'k3s',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'k3s',
        ...roleLabels,
        ...spec.labels,
      },
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': ip,
        'flannel.alpha.coreos.com/backend-type': 'vxlan',
        'flannel.alpha.coreos.com/public-ip': ip,
        'k3s.io/hostname': spec.name,
        'k3s.io/internal-ip': ip,
        'k3s.io/node-args': JSON.stringify([spec.role]),
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: `10.42.${spec.index}.0/24`,
      podCIDRs: [`10.42.${spec.index}.0/24`],
      providerID: `k3s://${spec.name}`,
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: spec.name },
      ],
      capacity: {
        cpu,
        'ephemeral-storage': '61202244Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory,
        pods: '110',
      },
      allocatable: {
        cpu,
        'ephemeral-storage': '59536892468',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory,
        pods: '110',
      },
      conditions: nodeConditions(now, now),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: arch,
        bootID: uuidFrom(stableHex(`${spec.name}/boot`, 32)),
        containerRuntimeVersion: K3S_CONTAINERD_VERSION,
        kernelVersion: arch === 'amd64' ? '6.1.0-28-amd64' : '6.1.0-28-arm64',
        kubeProxyVersion: K3S_KUBELET_VERSION,
        kubeletVersion: K3S_KUBELET_VERSION,
        machineID: id,
        operatingSystem: 'linux',
        osImage: spec.osImage ?? 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: uuidFrom(stableHex(`${spec.name}/uuid`, 32)),
      },
      images: [],
    },
  };
}

/** The four kubelet-owned node conditions; Ready carries the heartbeat. */
export function nodeConditions(heartbeat: string, transition: string): Record<string, string>[] {
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: transition,
    reason,
    message,
  });
  return [
    condition(
      'MemoryPressure',
      'False',
      'KubeletHasSufficientMemory',
      'kubelet has sufficient memory available',
    ),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/** Deterministic hex from a string (FNV-1a, repeated), so node identities are stable across runs. */
export function stableHex(text: string, length: number): string {
  let out = '';
  let seed = 0;
  while (out.length < length) {
    let hash = 0x811c9dc5 ^ seed++;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    out += hash.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

function uuidFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
