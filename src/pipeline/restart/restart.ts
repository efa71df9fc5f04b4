import type { PodObject } from '../../core/diagnose/index.js';
import { shortDigest } from '../../core/diagnose/index.js';
import { parseImageRef } from '../../core/image-ref/index.js';
import { effectivePullPolicy, isPullPolicy } from '../../core/pull-policy/index.js';
import { podsOfRevision } from '../../core/rollout/index.js';
import { comment, shellCommand } from '../../core/shell/index.js';
import { KubefreshError } from '../../errors/index.js';
import type { Clock } from '../../ports/clock.js';
import type { EventSink } from '../../ports/events.js';
import type { KubeClient } from '../../ports/kube.js';
import type { Registry } from '../../ports/registry.js';
import {
  SILENT,
  Steps,
  SYSTEM_CLOCK,
  verifyRevision,
  type WaitResult,
  type WorkloadTarget,
  waitOrVerdict,
} from '../deploy/index.js';
import { readDeployment, recordRevisionDigests } from '../history/index.js';
import { resilientKube, withRetries } from '../retry/index.js';
import { distinctDigests, lookup, type PodDigest, podDigests, type RegistryLookup, runs } from './digests.js';

/** kubectl's template annotation for `rollout restart`. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

export interface RestartDeps {
  readonly kube: KubeClient;
  readonly registry: Registry;
  /** Default: the wall clock. */
  readonly clock?: Clock;
  /** Default: silent. */
  readonly events?: EventSink;
}

export interface RestartOptions {
  readonly namespace: string;
  readonly name: string;
  /** Stops waiting (Ctrl-C); the restart itself has been applied by then. */
  readonly signal?: AbortSignal;
  /** Give up waiting after this long (ms); 0 waits while the rollout may progress. Default: 0. */
  readonly timeoutMs?: number;
  /** How long a pod failure must last before the wait fails (ms). Default: the deploy wait's. */
  readonly graceMs?: number;
}

/** Something the user should know about a restart, with the commands that fix it. */
export interface RestartWarning {
  /**
   * `RESTART_CACHED_TAG`: a tag with IfNotPresent/Never, so new pods reuse node caches;
   * `RESTART_REGISTRY_NEWER`: the registry names a digest the restarted pods do not run;
   * `RESTART_MIXED_DIGESTS`: the restarted pods run different digests of one tag;
   * `RESTART_NOT_VERIFIED`: pods of the new revision are not all ready on the expected digest.
   */
  readonly code:
    | 'RESTART_CACHED_TAG'
    | 'RESTART_REGISTRY_NEWER'
    | 'RESTART_MIXED_DIGESTS'
    | 'RESTART_NOT_VERIFIED';
  readonly container: string;
  readonly message: string;
  readonly fix: readonly string[];
}

/** One container before and after the restart. */
export interface ContainerRestart {
  readonly name: string;
  readonly image: string;
  readonly pullPolicy: string;
  /** The digest the spec pins, if any: then the restart cannot change code. */
  readonly pinned: string | undefined;
  /** What the tag names in the registry now. */
  readonly registry: { readonly digest: string } | { readonly error: string } | undefined;
  readonly before: readonly PodDigest[];
  readonly after: readonly PodDigest[];
}

export interface RestartResult {
  /** `restarted`: rolled out and every pod ready; otherwise the wait's outcome. */
  readonly outcome: 'restarted' | 'failed' | 'interrupted' | 'timeout';
  readonly restartedAt: string;
  /** The revision the restart created. */
  readonly revision: number | undefined;
  readonly containers: readonly ContainerRestart[];
  readonly warnings: readonly RestartWarning[];
  /** Why waiting failed or stopped. */
  readonly reason?: { readonly code: string; readonly message: string };
  readonly wait: WaitResult;
}

/** RFC 3339 at second precision, as `time.Now().Format(time.RFC3339)` (in UTC). */
export function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function policyOf(image: string, explicit: string | undefined): string {
  return effectivePullPolicy(image, isPullPolicy(explicit) ? explicit : undefined);
}

function fixesFor(
  target: { namespace: string; name: string },
  container: string,
  image: string,
  now: RegistryLookup | undefined,
): string[] {
  const ref = parseImageRef(image);
  const pinnedTo =
    now?.ok === true
      ? `${ref.name()}:${ref.effectiveTag()}@${now.image.digest}`
      : `${ref.name()}:${ref.effectiveTag()}@sha256:…`;
  const ns = ['-n', target.namespace];
  const always = {
    spec: { template: { spec: { containers: [{ name: container, imagePullPolicy: 'Always' }] } } },
  };
  return [
    shellCommand(['kubectl', 'set', 'image', `deployment/${target.name}`, `${container}=${pinnedTo}`, ...ns]),
    `${shellCommand(['kubefresh', 'pin', 'FILE.yaml'])}   ${comment('pin the manifest by digest so every node runs the same code')}`,
    shellCommand(['kubectl', 'patch', `deployment/${target.name}`, ...ns, '-p', JSON.stringify(always)]),
  ];
}

/**
 * `kubectl rollout restart` made visible: records each pod's digest, sets the template annotation
 * `kubectl.kubernetes.io/restartedAt`, waits for the new revision, and compares the digests after
 * with those before and with what the registry names now. A paused Deployment is refused with
 * kubectl's message. Warns when a moving tag with IfNotPresent means the restart cannot fetch new
 * code, when the registry has a digest the pods do not run, and when pods came back on different
 * digests; records the digests of the new revision when they agree.
 */
export async function restartDeployment(deps: RestartDeps, options: RestartOptions): Promise<RestartResult> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const steps = new Steps(deps.events ?? SILENT, clock);
  // Reads and watches survive a flaky API server (see pipeline/retry).
  const kube = resilientKube(deps.kube, clock);
  const { namespace, name } = options;
  const target: WorkloadTarget = { kind: 'Deployment', resource: 'deployments', namespace, name };
  const before = await readDeployment(kube, namespace, name);
  if (before.deployment.spec?.paused === true) {
    throw new KubefreshError(
      'ROLLOUT_PAUSED',
      `deployments.apps "${name}" can't restart paused deployment (run rollout resume first)`,
      { hint: shellCommand(['kubectl', 'rollout', 'resume', `deployment/${name}`, '-n', namespace]) },
    );
  }
  const containers = before.deployment.spec?.template?.spec?.containers ?? [];
  const livePods = before.pods.filter((p) => p.metadata?.deletionTimestamp === undefined);
  const lookups = await Promise.all(
    containers.map(async (c) => {
      const image = c.image ?? '';
      const ref = parseImageRef(image);
      return ref.digest === undefined ? lookup(deps.registry, ref, ref.effectiveTag()!) : undefined;
    }),
  );

  const warnings: RestartWarning[] = [];
  const warn = (w: RestartWarning) => {
    warnings.push(w);
    steps.warning(w.code, `${w.container}: ${w.message}`);
  };
  containers.forEach((c, i) => {
    const image = c.image ?? '';
    const policy = policyOf(image, c.imagePullPolicy);
    if (parseImageRef(image).digest !== undefined || policy === 'Always') return;
    const now = lookups[i];
    const running = distinctDigests(podDigests(livePods, c.name));
    const stale =
      now?.ok === true &&
      podDigests(livePods, c.name).some((p) => p.digest !== undefined && !runs(p, now.image));
    warn({
      code: 'RESTART_CACHED_TAG',
      container: c.name,
      message:
        `${image} is a moving tag with imagePullPolicy ${policy}: new pods reuse the image each node has cached, so a restart cannot fetch new code` +
        (stale && now?.ok === true
          ? `; the registry now has ${shortDigest(now.image.digest)} but pods run ${running.map(shortDigest).join(', ')}`
          : ''),
      fix: fixesFor(target, c.name, image, now),
    });
  });

  // The same second twice would be an empty patch and no rollout (kubectl refuses then): wait it out.
  const previous = before.deployment.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION];
  if (previous === rfc3339(clock.now())) await clock.sleep(1000 - (clock.now() % 1000) + 1);
  const restartedAt = rfc3339(clock.now());
  steps.start('wait', `restarting deployment/${name} (${RESTARTED_AT_ANNOTATION}=${restartedAt})`);
  // The same annotation value twice is the same patch, so a lost answer can be sent again.
  await withRetries(clock, () =>
    kube.patch(
      'deployments',
      namespace,
      name,
      { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: restartedAt } } } } },
      'strategic',
    ),
  );
  const wait = await waitOrVerdict({ kube, clock, events: deps.events ?? SILENT }, target, {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
  });
  if (wait.outcome !== 'done')
    steps.failed('wait', wait.reason?.code ?? wait.outcome, wait.reason?.message ?? wait.outcome);
  else steps.done('wait', wait.check?.status.message ?? 'rolled out');

  // The wait ends on the Deployment's status, which can be ahead of the pods it watched: read them afresh.
  const newPods: PodObject[] =
    wait.outcome === 'done' && wait.revision !== undefined
      ? podsOfRevision((await readDeployment(kube, namespace, name)).pods, wait.revision)
      : [...wait.pods];
  const result: ContainerRestart[] = containers.map((c, i) => {
    const image = c.image ?? '';
    const now = lookups[i];
    return {
      name: c.name,
      image,
      pullPolicy: policyOf(image, c.imagePullPolicy),
      pinned: parseImageRef(image).digest,
      registry:
        now === undefined ? undefined : now.ok ? { digest: now.image.digest } : { error: now.message },
      before: podDigests(livePods, c.name),
      after: podDigests(newPods, c.name),
    };
  });

  if (wait.outcome === 'done') {
    steps.start('verify', `checking the digests of deployment/${name}'s new pods`);
    const recorded: Record<string, string> = {};
    let verified = true;
    const desired = wait.workload.spec?.replicas ?? 1;
    if (newPods.length !== desired) {
      verified = false;
      warn({
        code: 'RESTART_NOT_VERIFIED',
        container: containers[0]?.name ?? '',
        message: `${newPods.length} pods of the new revision, expected ${desired}`,
        fix: [],
      });
    }
    for (const [i, c] of result.entries()) {
      const after = distinctDigests(c.after);
      if (after.length > 1) {
        verified = false;
        warn({
          code: 'RESTART_MIXED_DIGESTS',
          container: c.name,
          message: `pods came back on ${after.length} different digests of ${c.image}: ${after.map(shortDigest).join(', ')} (each node used its own cached image)`,
          fix: fixesFor(target, c.name, c.image, lookups[i]),
        });
      } else if (after.length === 1) recorded[c.name] = after[0]!;
      const now = lookups[i];
      if (now?.ok === true && c.after.some((p) => !runs(p, now.image))) {
        verified = false;
        warn({
          code: 'RESTART_REGISTRY_NEWER',
          container: c.name,
          message: `the registry's ${c.image} is ${shortDigest(now.image.digest)}, but ${c.after.filter((p) => !runs(p, now.image)).length} of ${c.after.length} restarted pods still run ${after
            .filter((d) => d !== now.image.digest)
            .map(shortDigest)
            .join(', ')}`,
          fix: fixesFor(target, c.name, c.image, now),
        });
      }
      if (c.pinned !== undefined) {
        const pinned = await lookup(deps.registry, parseImageRef(c.image), c.pinned);
        if (pinned.ok) {
          const check = await verifyRevision(kube, target, c.name, pinned.image);
          if (!check.ok) {
            verified = false;
            warn({ code: 'RESTART_NOT_VERIFIED', container: c.name, message: check.message, fix: [] });
          }
        }
      }
    }
    const rs = wait.revision;
    if (rs?.replicaSet !== undefined && Object.keys(recorded).length === result.length) {
      const problem = await recordRevisionDigests(kube, namespace, rs.replicaSet, rs.value, recorded);
      if (problem !== undefined) steps.warning('RECORD_FAILED', problem);
    }
    if (verified) steps.done('verify', `${newPods.length} pods restarted`);
    else steps.failed('verify', warnings[warnings.length - 1]!.code, warnings[warnings.length - 1]!.message);
  }

  return {
    outcome: wait.outcome === 'done' ? 'restarted' : wait.outcome,
    restartedAt,
    revision: wait.revision?.revision,
    containers: result,
    warnings,
    ...(wait.reason === undefined ? {} : { reason: wait.reason }),
    wait,
  };
}
