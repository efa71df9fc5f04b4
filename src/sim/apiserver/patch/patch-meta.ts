/**
 * Patch strategies of the built-in types, from the Go struct tags (`patchStrategy`,
 * `patchMergeKey`) in k8s.io/api: which lists merge by a key, which are sets, which maps keep only
 * listed keys (`retainKeys`). Lists not named here are atomic: a patch replaces them whole.
 */
export interface PatchMeta {
  /** For lists of objects: the field that identifies an element (`name`, `containerPort`, …). */
  readonly mergeKey?: string;
  /** For lists of scalars with `patchStrategy: merge` (e.g. `finalizers`): union, not replace. */
  readonly mergeSet?: boolean;
  /** `patchStrategy: retainKeys`: the patch's `$retainKeys` clears keys it does not list. */
  readonly retainKeys?: boolean;
  /** Meta of the fields of this map, or of each element of this list. */
  readonly fields?: Readonly<Record<string, PatchMeta>>;
}

const OBJECT_META: PatchMeta = {
  fields: {
    ownerReferences: { mergeKey: 'uid' },
    finalizers: { mergeSet: true },
  },
};

const CONTAINER: PatchMeta = {
  mergeKey: 'name',
  fields: {
    ports: { mergeKey: 'containerPort' },
    env: { mergeKey: 'name' },
    volumeMounts: { mergeKey: 'mountPath' },
    volumeDevices: { mergeKey: 'devicePath' },
  },
};

const POD_SPEC: PatchMeta = {
  fields: {
    containers: CONTAINER,
    initContainers: CONTAINER,
    ephemeralContainers: CONTAINER,
    volumes: { mergeKey: 'name', retainKeys: true },
    imagePullSecrets: { mergeKey: 'name' },
    hostAliases: { mergeKey: 'ip' },
    topologySpreadConstraints: { mergeKey: 'topologyKey' },
    resourceClaims: { mergeKey: 'name', retainKeys: true },
    schedulingGates: { mergeKey: 'name' },
  },
};

const CONDITIONS: PatchMeta = { mergeKey: 'type' };

const POD_TEMPLATE: PatchMeta = { fields: { metadata: OBJECT_META, spec: POD_SPEC } };

const WORKLOAD: PatchMeta = {
  fields: {
    metadata: OBJECT_META,
    spec: { fields: { template: POD_TEMPLATE, strategy: { retainKeys: true } } },
    status: { fields: { conditions: CONDITIONS } },
  },
};

const BY_KIND: Record<string, PatchMeta> = {
  Pod: {
    fields: {
      metadata: OBJECT_META,
      spec: POD_SPEC,
      status: { fields: { conditions: CONDITIONS, podIPs: { mergeKey: 'ip' } } },
    },
  },
  Deployment: WORKLOAD,
  ReplicaSet: WORKLOAD,
  StatefulSet: { fields: { metadata: OBJECT_META, spec: { fields: { template: POD_TEMPLATE } } } },
  DaemonSet: { fields: { metadata: OBJECT_META, spec: { fields: { template: POD_TEMPLATE } } } },
  Node: {
    fields: {
      metadata: OBJECT_META,
      spec: { fields: { podCIDRs: { mergeSet: true } } },
      status: { fields: { conditions: CONDITIONS, addresses: { mergeKey: 'type' } } },
    },
  },
  Namespace: {
    fields: {
      metadata: OBJECT_META,
      spec: { fields: { finalizers: {} } },
      status: { fields: { conditions: CONDITIONS } },
    },
  },
  ServiceAccount: { fields: { metadata: OBJECT_META, secrets: { mergeKey: 'name' } } },
};

/** The patch meta of a whole object of `kind`; unknown kinds only know ObjectMeta. */
export function patchMetaFor(kind: string): PatchMeta {
  return BY_KIND[kind] ?? { fields: { metadata: OBJECT_META } };
}
