import type { PodObject } from '../../core/diagnose/index.js';
import { shortDigest } from '../../core/diagnose/index.js';
import type { RegistryImage } from '../../core/digest-match/index.js';
import { parseImageRef } from '../../core/image-ref/index.js';
import { planRollback, podsOfRevision } from '../../core/rollout/index.js';
import { shellCommand } from '../../core/shell/index.js';
import { KubefreshError } from '../../errors/index.js';
import type { Clock } from '../../ports/clock.js';
import type { EventSink } from '../../ports/events.js';
import type { KubeClient } from '../../ports/kube.js';
import type { Registry } from '../../ports/registry.js';
import {
  type RevisionVerification,
  rollbackTo,
  SILENT,
  Steps,
  SYSTEM_CLOCK,
  verifyRevision,
  type WaitResult,
  type WorkloadTarget,
  waitOrVerdict,
} from '../deploy/index.js';
import { buildHistory, knownDigest, readDeployment, recordRevisionDigests } from '../history/index.js';
import { lookup, type PodDigest, podDigests } from '../restart/index.js';
import { resilientKube } from '../retry/index.js';

export interface RollbackDeps {
  readonly kube: KubeClient;
  readonly registry: Registry;
  readonly clock?: Clock;
  readonly events?: EventSink;
}

export interface RollbackOptions {
  readonly namespace: string;
  readonly name: string;
  /** The revision to return to; 0 or absent: the previous one (kubectl's default). */
  readonly toRevision?: number;
  /** Roll back even when the revision's tag now names other content than it ran. */
  readonly allowMovedTag?: boolean;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly graceMs?: number;
}

/** One container of the target revision: what it ran then, what its tag names now. */
export interface RollbackContainer {
  readonly name: string;
  readonly image: string;
  /** The digest the revision is known to have run, and how we know. */
  readonly ran: { readonly digest: string; readonly source: 'pinned' | 'pods' | 'recorded' } | undefined;
  /** What the image's tag names in the registry now (undefined for a pinned image). */
  readonly now: { readonly digest: string } | { readonly error: string } | undefined;
  /** The tag names other content now than the revision ran. */
  readonly moved: boolean;
  /** The digest the rolled-back pods must run. */
  readonly expected: string | undefined;
  readonly verification?: {
    readonly ok: boolean;
    readonly message: string;
    readonly problems: readonly string[];
  };
  readonly after: readonly PodDigest[];
}

export interface RollbackOutcome {
  /**
   * `rolled-back`: patched, rolled out and every pod verified; `skipped`: the template already
   * matched; `unverified`: rolled out but some pod does not run the expected digest; otherwise the
   * wait's outcome.
   */
  readonly outcome: 'rolled-back' | 'skipped' | 'unverified' | 'failed' | 'interrupted' | 'timeout';
  /** kubectl's words: `rolled back`, `skipped rollback (current template already matches revision N)`. */
  readonly message: string;
  /** The revision rolled back to (its old number). */
  readonly revision: number;
  /** The number the Deployment runs afterwards (the reused ReplicaSet gets a new one). */
  readonly newRevision: number | undefined;
  readonly containers: readonly RollbackContainer[];
  readonly warnings: readonly string[];
  readonly reason?: { readonly code: string; readonly message: string };
  readonly wait?: WaitResult;
}

/**
 * `kubectl rollout undo` that checks what it brings back. Picks the revision as kubectl does
 * (second-highest by default), then, for each container naming a tag, compares the digest that
 * revision ran (pinned, from its remaining pods, or recorded by kubefresh) with what the tag names
 * in the registry now: when the tag has moved, the rollback would bring back the text of the old
 * spec but not its code, so it is refused (`ROLLOUT_TAG_MOVED`, with both digests) unless
 * `allowMovedTag`. Then it patches as kubectl, waits, and verifies every pod against the expected
 * digest, recording it on the ReplicaSet.
 */
export async function rollbackDeployment(
  deps: RollbackDeps,
  options: RollbackOptions,
): Promise<RollbackOutcome> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const events = deps.events ?? SILENT;
  const steps = new Steps(events, clock);
  // Reads and watches survive a flaky API server (see pipeline/retry).
  const kube = resilientKube(deps.kube, clock);
  const { namespace, name } = options;
  const target: WorkloadTarget = { kind: 'Deployment', resource: 'deployments', namespace, name };
  const state = await readDeployment(kube, namespace, name);
  if (state.deployment.spec?.paused === true) {
    throw new KubefreshError(
      'ROLLOUT_PAUSED',
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
      { hint: shellCommand(['kubectl', 'rollout', 'resume', `deployment/${name}`, '-n', namespace]) },
    );
  }
  const plan = planRollback(state.deployment, state.replicaSets, options.toRevision ?? 0);
  const history = buildHistory(state.deployment, state.replicaSets, state.pods);
  const revision = history.revisions.find((r) => r.revision === plan.revision);
  const warnings: string[] = [];
  const warn = (code: string, message: string) => {
    warnings.push(message);
    steps.warning(code, message);
  };

  const containers = await Promise.all(
    (revision?.containers ?? []).map(async (c) => {
      const ref = parseImageRef(c.image);
      const ran = knownDigest(c);
      if (ref.digest !== undefined) {
        return {
          name: c.name,
          image: c.image,
          ran,
          now: undefined,
          moved: false,
          expected: ref.digest,
          nowImage: undefined,
        };
      }
      const found = await lookup(deps.registry, ref, ref.effectiveTag()!);
      const nowImage: RegistryImage | undefined = found.ok ? found.image : undefined;
      const now = found.ok ? { digest: found.image.digest } : { error: found.message };
      const moved =
        ran !== undefined &&
        nowImage !== undefined &&
        nowImage.digest !== ran.digest &&
        !(nowImage.children ?? []).some(
          (child) => child.digest === ran.digest || child.configDigest === ran.digest,
        ) &&
        nowImage.configDigest !== ran.digest;
      return {
        name: c.name,
        image: c.image,
        ran,
        now,
        moved,
        expected: ran?.digest ?? nowImage?.digest,
        nowImage,
      };
    }),
  );

  for (const c of containers) {
    if (c.ran === undefined && c.now !== undefined) {
      warn(
        'ROLLBACK_UNVERIFIABLE_TAG',
        `cannot tell whether ${c.image} moved since revision ${plan.revision} ran: no pods of it remain and kubefresh recorded no digest`,
      );
    }
    if (c.now !== undefined && 'error' in c.now) warn('ROLLBACK_REGISTRY', `${c.image}: ${c.now.error}`);
  }
  const moved = containers.filter((c) => c.moved);
  if (moved.length > 0 && !options.allowMovedTag) {
    const first = moved[0]!;
    const ref = parseImageRef(first.image);
    throw new KubefreshError(
      'ROLLOUT_TAG_MOVED',
      `refusing to roll back deployment/${name} to revision ${plan.revision}: its image ${first.image} has moved since that revision ran (then ${shortDigest(first.ran!.digest)}, from ${first.ran!.source === 'pods' ? 'its pods' : first.ran!.source === 'recorded' ? 'the digest kubefresh recorded' : 'the spec'}; now ${shortDigest((first.now as { digest: string }).digest)}), so the rollback would run different code than revision ${plan.revision} did`,
      {
        hint: `to run exactly what revision ${plan.revision} ran: ${shellCommand(['kubectl', 'set', 'image', `deployment/${name}`, `${first.name}=${ref.name()}:${ref.effectiveTag()}@${first.ran!.digest}`, '-n', namespace])}; to roll back to whatever the tag names now: add --allow-moved-tag`,
        details: {
          revision: plan.revision,
          containers: moved.map((c) => ({ name: c.name, image: c.image, ran: c.ran, now: c.now })),
        },
      },
    );
  }
  for (const c of moved) {
    warn(
      'ROLLBACK_TAG_MOVED',
      `${c.image} has moved since revision ${plan.revision} ran (then ${shortDigest(c.ran!.digest)}, now ${shortDigest((c.now as { digest: string }).digest)}); rolling back anyway (--allow-moved-tag)`,
    );
  }

  steps.start('rollback', `rolling back deployment/${name} to revision ${plan.revision}`);
  const applied = await rollbackTo({ kube, clock }, target, { toRevision: plan.revision });
  const result = (rest: Partial<RollbackOutcome> & Pick<RollbackOutcome, 'outcome'>): RollbackOutcome => ({
    message: applied.message,
    revision: plan.revision,
    newRevision: undefined,
    containers: containers.map((c) => ({
      name: c.name,
      image: c.image,
      ran: c.ran,
      now: c.now,
      moved: c.moved,
      expected: c.moved ? (c.now as { digest: string }).digest : c.expected,
      after: [],
    })),
    warnings,
    ...rest,
  });
  if (!applied.changed) {
    steps.skipped('rollback', applied.message);
    return result({ outcome: 'skipped' });
  }
  steps.done('rollback', `deployment.apps/${name} ${applied.message}`);

  const wait = await waitOrVerdict({ kube, clock, events }, target, {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
  });
  const pods: PodObject[] = [...wait.pods];
  if (wait.outcome !== 'done') {
    steps.failed('wait', wait.reason?.code ?? wait.outcome, wait.reason?.message ?? wait.outcome);
    return result({
      outcome: wait.outcome,
      newRevision: wait.revision?.revision,
      containers: result({ outcome: 'failed' }).containers.map((c) => ({
        ...c,
        after: podDigests(pods, c.name),
      })),
      ...(wait.reason === undefined ? {} : { reason: wait.reason }),
      wait,
    });
  }

  steps.start('verify', `verifying the digests of revision ${wait.revision?.revision ?? plan.revision}`);
  // The wait ends on the Deployment's status, which can be ahead of the pods it watched: read them afresh.
  const fresh =
    wait.revision === undefined
      ? pods
      : podsOfRevision((await readDeployment(kube, namespace, name)).pods, wait.revision);
  const verified: RollbackContainer[] = [];
  for (const c of containers) {
    const ref = parseImageRef(c.image);
    const digest = c.moved ? c.nowImage!.digest : c.expected;
    let verification: RevisionVerification | undefined;
    if (digest !== undefined) {
      const expected = await lookup(deps.registry, ref, digest);
      const image: RegistryImage = expected.ok ? expected.image : { digest, mediaType: '' };
      verification = await verifyRevision(kube, target, c.name, image);
    }
    verified.push({
      name: c.name,
      image: c.image,
      ran: c.ran,
      now: c.now,
      moved: c.moved,
      expected: digest,
      ...(verification === undefined
        ? {}
        : {
            verification: {
              ok: verification.ok,
              message: verification.message,
              problems: verification.problems,
            },
          }),
      after: podDigests(fresh, c.name),
    });
  }
  const ok = verified.every((c) => c.verification?.ok === true);
  if (ok) {
    steps.done('verify', verified.map((c) => `${c.name}: ${c.verification!.message}`).join('; '));
    const rs = wait.revision;
    if (rs?.replicaSet !== undefined) {
      const recorded = Object.fromEntries(verified.map((c) => [c.name, c.expected!]));
      const problem = await recordRevisionDigests(kube, namespace, rs.replicaSet, rs.value, recorded);
      if (problem !== undefined) warn('RECORD_FAILED', problem);
    }
  } else {
    const bad = verified.find((c) => c.verification?.ok !== true)!;
    steps.failed(
      'verify',
      'ROLLBACK_NOT_VERIFIED',
      bad.verification?.message ?? `${bad.name}: no digest to verify against`,
    );
  }
  return {
    outcome: ok ? 'rolled-back' : 'unverified',
    message: applied.message,
    revision: plan.revision,
    newRevision: wait.revision?.revision,
    containers: verified,
    warnings,
    wait,
  };
}
