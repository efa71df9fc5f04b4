import { type Command, Option } from 'commander';
import type { RegistryLogin } from '../pipeline/doctor/index.js';
import type { CommandContext } from './context.js';
import { parseDuration, type RegistryFlags, registryClientOptions } from './registry-flags.js';

/**
 * The cluster connection flags every verb that talks to a cluster shares (`doctor`, `nodes`,
 * `deploy`, `restart`, `rollback`, `history`), named and behaving as kubectl's do, and the one place
 * that turns them (with the registry flags) into the kube and registry clients.
 */
export interface KubeFlags {
  readonly context?: string;
  readonly kubeconfig?: string;
  /** `--request-timeout`, in milliseconds; 0 means none. */
  readonly requestTimeout: number;
}

/** Adds `--context`, `--kubeconfig` and `--request-timeout` to `command`. */
export function addKubeFlags(command: Command): Command {
  return command
    .option('--context <name>', 'the kubeconfig context to use')
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .addOption(
      new Option('--request-timeout <duration>', 'time limit per API request, as kubectl (0 = none)')
        .argParser((value: string) => (value.trim() === '0' ? 0 : parseDuration(value)))
        .default(0, '0'),
    );
}

/** Builds the kube client and the registry client from the flags (adapters loaded on use). */
export async function connect(flags: RegistryFlags & KubeFlags, context: CommandContext) {
  const { HttpKubeClient } = await import('../adapters/kube/index.js');
  const { RegistryClient, staticCredentials } = await import('../adapters/registry/index.js');
  const apiRequests = { count: 0 };
  const kube = new HttpKubeClient({
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
    ...(flags.context === undefined ? {} : { context: flags.context }),
    env: context.io.env,
    requestTimeoutMs: flags.requestTimeout,
    onRequest: () => {
      apiRequests.count++;
    },
  });
  const base = await registryClientOptions(flags, context.io);
  const registryRequests = { count: 0 };
  const onRequest = ({ status }: { status: number | undefined }) => {
    if (status !== undefined) registryRequests.count++;
  };
  const registry = new RegistryClient({ ...base, onRequest });
  const registryWithLogins = (logins: ReadonlyMap<string, RegistryLogin>) => {
    const fromSecrets = staticCredentials(
      Object.fromEntries(
        [...logins].map(([host, l]) => [
          host,
          { kind: 'basic' as const, username: l.username, password: l.password },
        ]),
      ),
    );
    const local = base.credentials;
    return new RegistryClient({
      ...base,
      onRequest,
      credentials: { get: async (host: string) => (await fromSecrets.get(host)) ?? (await local?.get(host)) },
    });
  };
  return { kube, registry, registryWithLogins, apiRequests, registryRequests };
}
