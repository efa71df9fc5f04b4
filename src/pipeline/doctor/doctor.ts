import {
  type ClusterSnapshot,
  diagnose,
  groupByWorkload,
  imagesToResolve,
  type PodObject,
  summaryLine,
  type WorkloadReport,
  workloadSubjects,
} from '../../core/diagnose/index.js';
import type { Finding } from '../../core/findings/index.js';
import type { Clock } from '../../ports/clock.js';
import type { KubeClient } from '../../ports/kube.js';
import type { Registry } from '../../ports/registry.js';
import { SYSTEM_CLOCK } from '../deploy/steps.js';
import { resilientKube } from '../retry/index.js';
import { gatherCluster } from './gather.js';
import { pullSecretLogins, type RegistryLogin } from './pull-secrets.js';
import { mapConcurrent, registryFacts } from './registry-facts.js';
import type { DoctorScope } from './scope.js';

export interface DoctorDeps {
  readonly kube: KubeClient;
  /** For back-off between retried reads. Default: the wall clock. */
  readonly clock?: Clock;
  /** The registry as the user reaches it (local docker logins). */
  readonly registry: Registry;
  /** The same registry client with these logins added first (from pull secrets). */
  readonly registryWithLogins?: (logins: ReadonlyMap<string, RegistryLogin>) => Registry;
}

export interface DoctorOptions {
  readonly scope: DoctorScope;
  /** Use the pods' imagePullSecrets and service accounts for registry lookups. Default: false. */
  readonly usePullSecrets?: boolean;
  /** Registry lookups in flight at once. Default: 16. */
  readonly concurrency?: number;
  /** Lines of a crashing container's previous log to show. Default: 5. */
  readonly logLines?: number;
  /** At most this many previous logs are read (one per crashing container of a workload). Default: 20. */
  readonly maxLogs?: number;
}

/** Everything `doctor` found. */
export interface DoctorReport {
  readonly findings: readonly Finding[];
  readonly workloads: readonly WorkloadReport[];
  /** `12 workloads: 9 ok, 2 stale, 1 failing` */
  readonly summary: string;
  /** Things that limited the check (RBAC on secrets…), never failures. */
  readonly hints: readonly string[];
  readonly snapshot: ClusterSnapshot;
  readonly stats: { readonly images: number; readonly pods: number; readonly nodes: number };
}

const CRASHING = new Set(['CrashLoopBackOff', 'RunContainerError']);

/** The first crashing pod per (owner, container): whose previous log is worth reading. */
function crashingContainers(
  pods: readonly PodObject[],
  max: number,
): { namespace: string; pod: string; container: string }[] {
  const seen = new Set<string>();
  const picked: { namespace: string; pod: string; container: string }[] = [];
  for (const pod of pods) {
    for (const status of pod.status?.containerStatuses ?? []) {
      if (!CRASHING.has(status.state?.waiting?.reason ?? '')) continue;
      const owner = pod.metadata?.ownerReferences?.[0]?.uid ?? pod.metadata?.name ?? '';
      const key = `${owner}/${status.name}`;
      if (seen.has(key) || picked.length >= max) continue;
      seen.add(key);
      picked.push({
        namespace: pod.metadata?.namespace ?? 'default',
        pod: pod.metadata?.name ?? '',
        container: status.name,
      });
    }
  }
  return picked;
}

/**
 * `kubefresh doctor`: gathers the scope's workloads, pods, nodes and events in a fixed number of
 * list calls, asks the registry about each distinct spec image once (concurrently), reads the
 * previous log of crashing containers, and diagnoses. API failures that outlast a few retries throw `KUBE_*` errors;
 * registry failures become verdicts (`UNVERIFIABLE`, `NOT_IN_REGISTRY`), never exceptions.
 */
export async function runDoctor(deps: DoctorDeps, options: DoctorOptions): Promise<DoctorReport> {
  const kube = resilientKube(deps.kube, deps.clock ?? SYSTEM_CLOCK);
  const cluster = await gatherCluster(kube, options.scope);
  // An empty namespace and a misspelled one look the same in lists; only the latter is an error.
  const { scope } = options;
  if (!scope.allNamespaces && scope.target === undefined && cluster.workloads.length === 0)
    await kube.get('namespaces', undefined, scope.namespace);
  const hints: string[] = [];
  let registry = deps.registry;
  if (options.usePullSecrets) {
    const namespace = options.scope.allNamespaces ? undefined : options.scope.namespace;
    const secrets = await pullSecretLogins(kube, namespace, cluster.pods);
    hints.push(...secrets.hints);
    if (secrets.logins.size > 0 && deps.registryWithLogins)
      registry = deps.registryWithLogins(secrets.logins);
  }
  const images = imagesToResolve(cluster);
  const logTargets = crashingContainers(cluster.pods, options.maxLogs ?? 20);
  const [registryByImage, logs] = await Promise.all([
    registryFacts(registry, images, cluster, options.concurrency ?? 16),
    mapConcurrent(logTargets, 4, async (t) => {
      try {
        const text = await kube.podLogs(t.namespace, t.pod, {
          container: t.container,
          previous: true,
          tailLines: options.logLines ?? 5,
        });
        return [
          `${t.namespace}/${t.pod}/${t.container}`,
          text.split('\n').filter((line) => line !== ''),
        ] as const;
      } catch {
        return undefined;
      }
    }),
  ]);
  const snapshot: ClusterSnapshot = {
    ...cluster,
    registry: registryByImage,
    logs: Object.fromEntries(logs.filter((entry) => entry !== undefined)),
    hints,
  };
  const findings = diagnose(snapshot);
  const workloads = groupByWorkload(findings, workloadSubjects(snapshot));
  return {
    findings,
    workloads,
    summary: summaryLine(workloads),
    hints,
    snapshot,
    stats: { images: images.length, pods: cluster.pods.length, nodes: cluster.nodes.length },
  };
}
