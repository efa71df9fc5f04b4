import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { yamlProblem } from '../../core/config-text/index.js';
import { isKubefreshError, KubefreshError } from '../../errors/index.js';
import { readCappedSync } from '../fs/read-capped.js';

/** Where the kubeconfig comes from, as kubectl resolves it. */
export interface KubeconfigSource {
  /** `--kubeconfig FILE`; wins over everything. */
  readonly kubeconfig?: string | undefined;
  /** `--context NAME`; default: the file's current-context. */
  readonly context?: string | undefined;
  /** The environment to read `KUBECONFIG` and `HOME` from (never `process.env` implicitly). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Loads a kubeconfig the way kubectl does: `--kubeconfig`, else every file in `KUBECONFIG`
 * (`:`-separated, the first file that sets a value wins), else `~/.kube/config`; then `--context`.
 * Plain-HTTP servers (such as `kubefresh sim`) are accepted: client-node refuses `http:` unless the
 * cluster skips TLS verification, which for a server without TLS changes nothing, so it is set.
 */
export function loadKubeConfig(source: KubeconfigSource = {}): KubeConfig {
  const env = source.env ?? {};
  const files =
    source.kubeconfig !== undefined
      ? [source.kubeconfig]
      : env.KUBECONFIG
        ? env.KUBECONFIG.split(':').filter((f) => f !== '')
        : env.HOME
          ? [join(env.HOME, '.kube', 'config')]
          : [];
  const present = files.filter((file) => existsSync(file));
  if (present.length === 0 || (source.kubeconfig !== undefined && present.length !== 1)) {
    const where = files.length === 0 ? 'no KUBECONFIG and no HOME' : files.join(', ');
    throw new KubefreshError('CONFIG_NO_KUBECONFIG', `no kubeconfig found (looked at ${where})`, {
      hint: 'pass --kubeconfig FILE, set KUBECONFIG, or on K3s use /etc/rancher/k3s/k3s.yaml',
    });
  }
  const config = new KubeConfig();
  for (const [i, file] of present.entries()) {
    const part = readKubeconfigFile(file);
    if (i === 0)
      config.loadFromOptions({
        clusters: part.clusters,
        users: part.users,
        contexts: part.contexts,
        currentContext: part.currentContext,
      });
    else mergeMissing(config, part);
  }
  if (source.context !== undefined) {
    if (config.getContextObject(source.context) === null) {
      const known = config.getContexts().map((c) => c.name);
      throw new KubefreshError(
        'CONFIG_UNKNOWN_CONTEXT',
        `context "${source.context}" is not in the kubeconfig`,
        {
          hint:
            known.length === 0 ? 'the kubeconfig defines no contexts' : `known contexts: ${known.join(', ')}`,
        },
      );
    }
    config.setCurrentContext(source.context);
  }
  if (!config.getCurrentContext() || config.getCurrentCluster() === null) {
    throw new KubefreshError('CONFIG_NO_CONTEXT', 'the kubeconfig has no current context with a cluster', {
      hint: 'pass --context NAME, or set one with: kubectl config use-context NAME',
    });
  }
  allowPlainHttp(config);
  return config;
}

/**
 * One kubeconfig file, read with a size cap and checked as YAML before client-node sees it: the
 * file holds tokens, passwords and keys, and a parser's message quotes the lines around a mistake,
 * so errors give the file, line, column and what was expected, never its text.
 */
function readKubeconfigFile(file: string): KubeConfig {
  let text: string;
  try {
    text = readCappedSync(file, 'kubeconfig');
  } catch (error) {
    if (isKubefreshError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new KubefreshError('CONFIG_BAD_KUBECONFIG', `cannot read kubeconfig "${file}": ${code}`, {
      hint: 'check the path and its permissions',
    });
  }
  const problem = yamlProblem(text, { uniqueKeys: false });
  if (problem !== undefined) {
    throw new KubefreshError(
      'CONFIG_BAD_KUBECONFIG',
      `kubeconfig "${file}" is not valid YAML at line ${problem.line}, column ${problem.column}: ${problem.reason}`,
      { hint: 'fix the file at that line (kubectl config view shows what kubectl reads)' },
    );
  }
  const part = new KubeConfig();
  try {
    part.loadFromString(text);
  } catch (error) {
    // client-node's own checks name a field ("users[0].name is missing"); anything else it says
    // may come from a parser and quote the file, so only that shape is passed on.
    const said = (error as Error).message ?? '';
    const field = /^[\w.[\]]+ is missing$/.test(said) ? `: ${said}` : '';
    throw new KubefreshError('CONFIG_BAD_KUBECONFIG', `kubeconfig "${file}" is not a kubeconfig${field}`, {
      hint: 'expected YAML with clusters, users and contexts (kubectl config view shows the shape)',
    });
  }
  return part;
}

/** KUBECONFIG merging: entries of later files only fill names the earlier ones lack. */
function mergeMissing(into: KubeConfig, from: KubeConfig): void {
  for (const cluster of from.clusters) if (into.getCluster(cluster.name) === null) into.addCluster(cluster);
  for (const user of from.users) if (into.getUser(user.name) === null) into.addUser(user);
  for (const context of from.contexts)
    if (into.getContextObject(context.name) === null) into.addContext(context);
  if (!into.currentContext && from.currentContext) into.setCurrentContext(from.currentContext);
}

function allowPlainHttp(config: KubeConfig): void {
  const clusters = config.clusters.map((cluster) =>
    cluster.server.startsWith('http:') && !cluster.skipTLSVerify
      ? { ...cluster, skipTLSVerify: true }
      : cluster,
  );
  config.loadFromOptions({
    clusters,
    users: config.users,
    contexts: config.contexts,
    currentContext: config.currentContext,
  });
}
