import type { PodObject } from '../../core/diagnose/index.js';
import { isKubefreshError } from '../../errors/index.js';
import type { KubeClient, KubeObject } from '../../ports/kube.js';

/** A login from a docker-registry Secret. Never printed. */
export interface RegistryLogin {
  readonly username: string;
  readonly password: string;
}

interface SecretObject extends KubeObject {
  readonly type?: string;
  readonly data?: Record<string, string>;
}

interface ServiceAccountObject extends KubeObject {
  readonly imagePullSecrets?: readonly { name?: string }[];
}

/** `https://index.docker.io/v1/` → `docker.io`; `http://r:5000/x` → `r:5000`. */
export function loginHost(key: string): string {
  let host = key.replace(/^[a-z]+:\/\//i, '');
  const slash = host.indexOf('/');
  if (slash >= 0) host = host.slice(0, slash);
  host = host.toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

function decode(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}

/** The logins in a `kubernetes.io/dockerconfigjson` or `kubernetes.io/dockercfg` Secret. */
export function loginsOf(secret: SecretObject): Map<string, RegistryLogin> {
  const logins = new Map<string, RegistryLogin>();
  let auths: Record<string, { auth?: string; username?: string; password?: string }> | undefined;
  try {
    if (secret.type === 'kubernetes.io/dockerconfigjson' && secret.data?.['.dockerconfigjson']) {
      auths = JSON.parse(decode(secret.data['.dockerconfigjson'])).auths;
    } else if (secret.type === 'kubernetes.io/dockercfg' && secret.data?.['.dockercfg']) {
      auths = JSON.parse(decode(secret.data['.dockercfg']));
    }
  } catch {
    return logins;
  }
  for (const [key, entry] of Object.entries(auths ?? {})) {
    let username = entry.username;
    let password = entry.password;
    if (entry.auth) {
      const plain = decode(entry.auth);
      const colon = plain.indexOf(':');
      if (colon > 0) {
        username = plain.slice(0, colon);
        password = plain.slice(colon + 1);
      }
    }
    if (username !== undefined && password !== undefined) logins.set(loginHost(key), { username, password });
  }
  return logins;
}

/** What reading pull secrets gave: logins by registry host, and hints for what could not be read. */
export interface PullSecretLogins {
  readonly logins: Map<string, RegistryLogin>;
  readonly hints: string[];
}

/**
 * Reads the logins the kubelet would use for these pods: each pod's `imagePullSecrets` and those of
 * its service account. Two list calls (secrets, service accounts) whatever the number of pods. A
 * 403 is not a failure: it becomes a hint about RBAC and the lookups go on with the local logins.
 */
export async function pullSecretLogins(
  kube: KubeClient,
  namespace: string | undefined,
  pods: readonly PodObject[],
): Promise<PullSecretLogins> {
  const hints: string[] = [];
  const where = namespace === undefined ? 'any namespace' : `namespace ${namespace}`;
  const list = async <T extends KubeObject>(resource: 'secrets' | 'serviceaccounts'): Promise<T[]> => {
    try {
      return (await kube.list<T>(resource, namespace === undefined ? {} : { namespace })).items;
    } catch (error) {
      if (
        isKubefreshError(error) &&
        (error.code === 'KUBE_FORBIDDEN' || error.code === 'KUBE_UNAUTHORIZED')
      ) {
        hints.push(
          `--use-pull-secrets: not allowed to list ${resource} in ${where} (${error.message}); registry lookups used your local docker logins only. Grant "list" on ${resource} (kubectl auth can-i list ${resource}${namespace === undefined ? ' -A' : ` -n ${namespace}`}).`,
        );
        return [];
      }
      throw error;
    }
  };
  const [secrets, accounts] = await Promise.all([
    list<SecretObject>('secrets'),
    list<ServiceAccountObject>('serviceaccounts'),
  ]);
  const secretByKey = new Map(
    secrets.map((s) => [`${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`, s]),
  );
  const accountByKey = new Map(
    accounts.map((a) => [`${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`, a]),
  );
  const wanted = new Set<string>();
  for (const pod of pods) {
    const ns = pod.metadata?.namespace ?? '';
    for (const ref of pod.spec?.imagePullSecrets ?? []) if (ref.name) wanted.add(`${ns}/${ref.name}`);
    const account = accountByKey.get(`${ns}/${pod.spec?.serviceAccountName ?? 'default'}`);
    for (const ref of account?.imagePullSecrets ?? []) if (ref.name) wanted.add(`${ns}/${ref.name}`);
  }
  const logins = new Map<string, RegistryLogin>();
  for (const key of [...wanted].sort()) {
    const secret = secretByKey.get(key);
    if (secret === undefined) continue;
    for (const [host, login] of loginsOf(secret)) if (!logins.has(host)) logins.set(host, login);
  }
  return { logins, hints };
}
