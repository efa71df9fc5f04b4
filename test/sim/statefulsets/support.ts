import { applyDefaults } from '../../../src/sim/apiserver/defaults.js';
import type { KubeObject, ObjectStore } from '../../../src/sim/store/index.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read and edit loosely typed API JSON
export type Json = any;

export interface WorkloadInput {
  replicas?: number;
  image?: string;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  updateStrategy?: Record<string, unknown>;
  nodeSelector?: Record<string, string>;
  revisionHistoryLimit?: number;
}

function template(name: string, input: WorkloadInput): Json {
  return {
    metadata: { labels: { app: name } },
    spec: {
      containers: [
        { name: 'app', image: input.image ?? 'registry.local/app:v1', imagePullPolicy: 'IfNotPresent' },
      ],
      ...(input.nodeSelector ? { nodeSelector: input.nodeSelector } : {}),
    },
  };
}

/** A StatefulSet or DaemonSet manifest as a user would write it. */
export function manifest(
  kind: 'StatefulSet' | 'DaemonSet',
  name: string,
  input: WorkloadInput = {},
): KubeObject {
  const spec: Json = { selector: { matchLabels: { app: name } }, template: template(name, input) };
  if (kind === 'StatefulSet') {
    spec.replicas = input.replicas ?? 3;
    spec.serviceName = name;
    if (input.podManagementPolicy) spec.podManagementPolicy = input.podManagementPolicy;
  }
  if (input.updateStrategy) spec.updateStrategy = input.updateStrategy;
  if (input.revisionHistoryLimit !== undefined) spec.revisionHistoryLimit = input.revisionHistoryLimit;
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec,
  };
}

/** Creates with the API server's defaulting, as `kubectl create` would. */
export function createWorkload(store: ObjectStore, object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  applyDefaults(copy, true);
  copy.metadata.generation = 1;
  return store.create(`${object.kind.toLowerCase()}s.apps`, copy);
}

/** An API-like update: defaults, generation bump on spec change, DaemonSet template generation. */
export function updateWorkload(
  store: ObjectStore,
  kind: 'StatefulSet' | 'DaemonSet',
  name: string,
  change: (o: Json) => void,
): KubeObject {
  const resource = `${kind.toLowerCase()}s.apps`;
  const current = store.get(resource, 'default', name) as Json;
  const next = structuredClone(current);
  change(next);
  applyDefaults(next, false);
  if (JSON.stringify(next.spec) !== JSON.stringify(current.spec)) {
    next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    if (
      kind === 'DaemonSet' &&
      JSON.stringify(next.spec.template) !== JSON.stringify(current.spec.template)
    ) {
      const annotations = next.metadata.annotations;
      annotations['deprecated.daemonset.template.generation'] = String(
        Number(annotations['deprecated.daemonset.template.generation']) + 1,
      );
    }
  }
  return store.update(resource, next);
}

/** The live (not terminating) pods of `app`, by name. */
export function podsOf(store: ObjectStore, app: string): Json[] {
  return (store.list('pods', { namespace: 'default' }).items as Json[])
    .filter((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

export function isReady(pod: Json): boolean {
  return pod.status?.conditions?.some((c: Json) => c.type === 'Ready' && c.status === 'True') ?? false;
}
