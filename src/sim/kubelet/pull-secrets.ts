import type { ImageRef } from '../../core/image-ref/index.js';
import type { KubeObject, ObjectStore } from '../store/index.js';
import type { RegistryCredential } from './image-source.js';

export interface PullSecretLookup {
  readonly credentials: RegistryCredential[];
  /** Secrets named in `imagePullSecrets` that do not exist (the kubelet warns and pulls anyway). */
  readonly missing: string[];
}

/**
 * The kubelet's keyring for one pull: every `imagePullSecrets` entry of the pod
 * (`kubernetes.io/dockerconfigjson` or legacy `kubernetes.io/dockercfg`) whose key matches the
 * image's registry, in order.
 */
export function pullCredentials(store: ObjectStore, pod: KubeObject, ref: ImageRef): PullSecretLookup {
  const namespace = pod.metadata.namespace ?? 'default';
  const refs = ((pod.spec as { imagePullSecrets?: { name?: string }[] } | undefined)?.imagePullSecrets ?? [])
    .map((s) => s.name)
    .filter((name): name is string => typeof name === 'string' && name !== '');
  const credentials: RegistryCredential[] = [];
  const missing: string[] = [];
  for (const name of refs) {
    const secret = store.get('secrets', namespace, name);
    if (!secret) {
      missing.push(name);
      continue;
    }
    for (const [key, entry] of Object.entries(authsOf(secret))) {
      if (!keyMatches(key, ref)) continue;
      const credential = credentialOf(entry);
      if (credential) credentials.push(credential);
    }
  }
  return { credentials, missing };
}

interface AuthEntry {
  username?: string;
  password?: string;
  auth?: string;
}

function authsOf(secret: KubeObject): Record<string, AuthEntry> {
  const data = (secret.data as Record<string, string> | undefined) ?? {};
  const decode = (key: string): unknown => {
    const value = data[key];
    if (value === undefined) return undefined;
    try {
      return JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    } catch {
      return undefined;
    }
  };
  const json = decode('.dockerconfigjson') as { auths?: Record<string, AuthEntry> } | undefined;
  if (json?.auths) return json.auths;
  return (decode('.dockercfg') as Record<string, AuthEntry> | undefined) ?? {};
}

function credentialOf(entry: AuthEntry): RegistryCredential | undefined {
  if (entry.username !== undefined && entry.password !== undefined) {
    return { username: entry.username, password: entry.password };
  }
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}

const DOCKER_HUB_KEYS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** A keyring key (`https://index.docker.io/v1/`, `registry.example.com:5000`, `*.example.com`) vs. the image's registry. */
function keyMatches(key: string, ref: ImageRef): boolean {
  const host = key
    .replace(/^[a-z]+:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();
  const registry = ref.registry.toLowerCase();
  if (DOCKER_HUB_KEYS.has(host)) return registry === 'docker.io';
  if (host.startsWith('*.')) {
    const suffix = host.slice(1);
    const hostOnly = registry.split(':')[0]!;
    return hostOnly.endsWith(suffix) && !hostOnly.slice(0, -suffix.length).includes('.');
  }
  return host === registry;
}
