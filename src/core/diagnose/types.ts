import type { RegistryImage } from '../digest-match/index.js';

/**
 * The parts of Kubernetes objects diagnosis reads, as the API serves them in JSON. Every field is
 * optional because real objects omit what is empty.
 */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly {
    readonly kind?: string;
    readonly name?: string;
    readonly uid?: string;
  }[];
  readonly deletionTimestamp?: string;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image?: string;
  readonly imagePullPolicy?: string;
  readonly resources?: { readonly limits?: Readonly<Record<string, string>> };
}

export interface PodSpecLike {
  readonly containers?: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly nodeName?: string;
  readonly imagePullSecrets?: readonly { readonly name?: string }[];
  readonly serviceAccountName?: string;
}

export interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

/** A Deployment, StatefulSet or DaemonSet (or a ReplicaSet). */
export interface WorkloadObject {
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly replicas?: number;
    readonly paused?: boolean;
    readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> };
    readonly template?: { readonly metadata?: ObjectMeta; readonly spec?: PodSpecLike };
  };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly updatedReplicas?: number;
    readonly readyReplicas?: number;
    readonly availableReplicas?: number;
    readonly currentNumberScheduled?: number;
    readonly desiredNumberScheduled?: number;
    readonly updatedNumberScheduled?: number;
    readonly numberAvailable?: number;
    readonly currentRevision?: string;
    readonly updateRevision?: string;
    readonly conditions?: readonly Condition[];
  };
}

export interface ContainerStateDetail {
  readonly waiting?: { readonly reason?: string; readonly message?: string };
  readonly running?: { readonly startedAt?: string };
  readonly terminated?: {
    readonly reason?: string;
    readonly message?: string;
    readonly exitCode?: number;
    readonly finishedAt?: string;
  };
}

export interface ContainerStatus {
  readonly name: string;
  readonly image?: string;
  readonly imageID?: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly state?: ContainerStateDetail;
  readonly lastState?: ContainerStateDetail;
}

export interface PodObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: PodSpecLike;
  readonly status?: {
    readonly phase?: string;
    readonly conditions?: readonly Condition[];
    readonly containerStatuses?: readonly ContainerStatus[];
    readonly initContainerStatuses?: readonly ContainerStatus[];
    readonly startTime?: string;
  };
}

export interface NodeObject {
  readonly metadata?: ObjectMeta;
  readonly status?: {
    readonly nodeInfo?: { readonly operatingSystem?: string; readonly architecture?: string };
    readonly addresses?: readonly { readonly type?: string; readonly address?: string }[];
    readonly images?: readonly { readonly names?: readonly string[]; readonly sizeBytes?: number }[];
  };
}

export interface EventObject {
  readonly metadata?: ObjectMeta;
  readonly involvedObject?: {
    readonly kind?: string;
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly fieldPath?: string;
  };
  readonly reason?: string;
  readonly message?: string;
  readonly type?: string;
  readonly count?: number;
  readonly lastTimestamp?: string;
  readonly eventTime?: string;
}

/** Why a registry lookup failed, as the registry client classifies it. */
export type RegistryErrorClass =
  | 'not-found'
  | 'unauthorized'
  | 'denied'
  | 'unreachable'
  | 'tls'
  | 'plain-http'
  | 'rate-limited'
  | 'other';

/** What kubefresh's own probe of the registry found for one image reference. */
export type RegistryFact =
  | ({ readonly ok: true; readonly tags?: readonly string[] } & RegistryImage)
  | {
      readonly ok: false;
      readonly errorClass: RegistryErrorClass;
      /** The registry's own words, e.g. `manifest unknown` or `connection refused`. */
      readonly message: string;
      /** The repository's tags, when they could be listed (for not-found messages). */
      readonly tags?: readonly string[];
    };

/** Everything diagnosis looks at: one consistent read of the cluster and the registry. */
export interface ClusterSnapshot {
  /** Deployments, StatefulSets and DaemonSets (each with `kind`). */
  readonly workloads: readonly WorkloadObject[];
  readonly replicaSets: readonly WorkloadObject[];
  readonly pods: readonly PodObject[];
  readonly nodes: readonly NodeObject[];
  readonly events: readonly EventObject[];
  /** Registry facts keyed by the image text exactly as the spec writes it. */
  readonly registry: Readonly<Record<string, RegistryFact>>;
  /** Last lines of the previous container's log, keyed `namespace/pod/container`. */
  readonly logs?: Readonly<Record<string, readonly string[]>>;
  /** Hints from gathering (e.g. secrets forbidden), shown but never findings. */
  readonly hints?: readonly string[];
}
