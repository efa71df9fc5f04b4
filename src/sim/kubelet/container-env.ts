import type { KubeObject, ObjectStore } from '../store/index.js';

/** Why a container's config could not be generated: becomes `CreateContainerConfigError`. */
export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
}

interface KeyRef {
  name?: string;
  key?: string;
  optional?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: pod specs are untyped JSON, read defensively here
type Json = any;

/**
 * The environment the kubelet builds for a container (`makeEnvironmentVariables`): `envFrom`
 * first, then `env` in order with `$(VAR)` expansion; ConfigMap and Secret references resolved
 * from the store. Missing objects or keys fail with the kubelet's messages unless `optional`.
 */
export function resolveContainerEnv(
  store: ObjectStore,
  pod: KubeObject,
  container: Json,
  extra: { podIP?: string | undefined; hostIP?: string | undefined; nodeName?: string | undefined } = {},
): Map<string, string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const env = new Map<string, string>();
  for (const source of container.envFrom ?? []) {
    const prefix: string = source.prefix ?? '';
    if (source.configMapRef) {
      const data = lookup(store, 'configmaps', namespace, source.configMapRef, 'configmap');
      for (const [key, value] of Object.entries(data ?? {})) env.set(prefix + key, value);
    }
    if (source.secretRef) {
      const data = lookup(store, 'secrets', namespace, source.secretRef, 'secret');
      for (const [key, value] of Object.entries(data ?? {})) env.set(prefix + key, value);
    }
  }
  for (const variable of container.env ?? []) {
    const name: string = variable.name;
    if (variable.valueFrom === undefined) {
      env.set(name, expand(String(variable.value ?? ''), env));
      continue;
    }
    const from = variable.valueFrom;
    if (from.configMapKeyRef) {
      const value = keyValue(store, 'configmaps', namespace, from.configMapKeyRef, 'configmap', 'ConfigMap');
      if (value !== undefined) env.set(name, value);
    } else if (from.secretKeyRef) {
      const value = keyValue(store, 'secrets', namespace, from.secretKeyRef, 'secret', 'Secret');
      if (value !== undefined) env.set(name, value);
    } else if (from.fieldRef) {
      env.set(name, fieldValue(pod, String(from.fieldRef.fieldPath ?? ''), extra));
    } else if (from.resourceFieldRef) {
      env.set(
        name,
        String(
          container.resources?.limits?.[String(from.resourceFieldRef.resource).replace(/^limits\./, '')] ??
            '0',
        ),
      );
    }
  }
  return env;
}

function lookup(
  store: ObjectStore,
  resource: 'configmaps' | 'secrets',
  namespace: string,
  ref: KeyRef,
  noun: string,
): Record<string, string> | undefined {
  const object = store.get(resource, namespace, String(ref.name ?? ''));
  if (!object) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`${noun} "${ref.name}" not found`);
  }
  return dataOf(object, resource);
}

function keyValue(
  store: ObjectStore,
  resource: 'configmaps' | 'secrets',
  namespace: string,
  ref: KeyRef,
  noun: string,
  kind: string,
): string | undefined {
  const data = lookup(store, resource, namespace, ref, noun);
  if (data === undefined) return undefined;
  const key = String(ref.key ?? '');
  if (!(key in data)) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${key} in ${kind} ${namespace}/${ref.name}`);
  }
  return data[key];
}

function dataOf(object: KubeObject, resource: 'configmaps' | 'secrets'): Record<string, string> {
  const out: Record<string, string> = {};
  if (resource === 'secrets') {
    for (const [key, value] of Object.entries((object.data as Record<string, string>) ?? {}))
      out[key] = Buffer.from(value, 'base64').toString('utf8');
    for (const [key, value] of Object.entries((object.stringData as Record<string, string>) ?? {}))
      out[key] = value;
    return out;
  }
  for (const [key, value] of Object.entries((object.data as Record<string, string>) ?? {})) out[key] = value;
  for (const [key, value] of Object.entries((object.binaryData as Record<string, string>) ?? {}))
    out[key] = value;
  return out;
}

function fieldValue(
  pod: KubeObject,
  path: string,
  extra: { podIP?: string | undefined; hostIP?: string | undefined; nodeName?: string | undefined },
): string {
  const spec = (pod.spec ?? {}) as Json;
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return extra.nodeName ?? spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return spec.serviceAccountName ?? 'default';
    case 'status.podIP':
      return extra.podIP ?? '';
    case 'status.hostIP':
      return extra.hostIP ?? '';
  }
  const label = /^metadata\.labels\['(.+)'\]$/.exec(path);
  if (label) return pod.metadata.labels?.[label[1]!] ?? '';
  const annotation = /^metadata\.annotations\['(.+)'\]$/.exec(path);
  if (annotation) return pod.metadata.annotations?.[annotation[1]!] ?? '';
  return '';
}

/** `$(VAR)` expands to an earlier variable; `$$(VAR)` escapes; unknown references stay as written. */
function expand(value: string, env: Map<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && env.has(name) ? env.get(name)! : match;
  });
}
