import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** The API server URL, e.g. `ApiServer.url`. */
  readonly server: string;
  /** Bearer token for the user entry. Default: a random one (the sim accepts any). */
  readonly token?: string;
  /** Cluster, user and context name. Default: `default`, as K3s writes it. */
  readonly name?: string;
  /** Default namespace of the context. Default: none (kubectl uses `default`). */
  readonly namespace?: string;
}

/** A kubeconfig document (YAML text) pointing at a simulated cluster, shaped like K3s's. */
export function kubeconfigYaml(options: KubeconfigOptions): string {
  const name = options.name ?? 'default';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: options.server } }],
    contexts: [
      {
        name,
        context: {
          cluster: name,
          user: name,
          ...(options.namespace ? { namespace: options.namespace } : {}),
        },
      },
    ],
    'current-context': name,
    preferences: {},
    users: [{ name, user: { token: options.token ?? randomBytes(16).toString('hex') } }],
  });
}

/** Writes {@link kubeconfigYaml} to `path` (via a temp file and rename, mode 0600). */
export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, kubeconfigYaml(options), { mode: 0o600 });
  await rename(temp, path);
}
