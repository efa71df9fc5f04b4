import type { NodeObject, WorkloadObject } from '../../core/diagnose/index.js';
import type { RegistryImage } from '../../core/digest-match/index.js';
import type { Finding } from '../../core/findings/index.js';
import { type ImageRef, parseImageRef } from '../../core/image-ref/index.js';
import { type Verification, verifyPods } from '../../core/rollout/index.js';
import { shellCommand } from '../../core/shell/index.js';
import { type TagStrategy, tagFor, validateTag } from '../../core/tag-strategy/index.js';
import { EXIT_CODES, isKubefreshError, KubefreshError } from '../../errors/index.js';
import type { Clock } from '../../ports/clock.js';
import type { EventSink } from '../../ports/events.js';
import type { BuilderName, ImageBuilder } from '../../ports/image-builder.js';
import type { KubeClient, KubeObject } from '../../ports/kube.js';
import type { Registry } from '../../ports/registry.js';
import { observed, resilientKube } from '../retry/index.js';
import { type PushableImage, pushImage } from './push.js';
import { registryImageOf } from './registry-image.js';
import { rollbackTo } from './rollback.js';
import { ownEarlierChange, type PreviousState, pickContainer, replacedBy, setImage } from './set-image.js';
import { SILENT, Steps, SYSTEM_CLOCK } from './steps.js';
import { targetText, type WorkloadTarget } from './target.js';
import { desiredPods } from './verify.js';
import { type WaitResult, waitForRollout } from './wait.js';

/** Where the image comes from. */
export type ImageSource =
  | {
      readonly kind: 'build';
      readonly context: string;
      readonly file?: string;
      readonly builder?: BuilderName;
    }
  | { readonly kind: 'oci'; readonly path: string }
  | { readonly kind: 'tar'; readonly path: string }
  | { readonly kind: 'none' };

export interface DeployDeps {
  readonly kube: KubeClient;
  readonly registry: Registry;
  /** Default: the wall clock. */
  readonly clock?: Clock;
  /** Default: silent. */
  readonly events?: EventSink;
  /** A builder by name, or the detected one when `name` is undefined (`adapters/build`). */
  readonly builder?: (name: BuilderName | undefined) => Promise<ImageBuilder>;
  /** Reads an OCI layout dir or an image tar (`adapters/build` `readImageArchive`). */
  readonly readArchive?: (path: string) => Promise<PushableImage>;
  /** The commit and dirtiness of a directory (`adapters/build` `gitState`). */
  readonly git?: (dir: string) => Promise<{ commit: string; dirty: boolean }>;
  /**
   * A registry client with no memory of earlier lookups, for the final check that the tag still
   * names what was deployed. Default: `registry` (whose cached answers may hide a move).
   */
  readonly freshRegistry?: () => Registry;
  /** Finds what is wrong with the failed revision (the doctor), for the report. */
  readonly diagnose?: (target: WorkloadTarget) => Promise<readonly Finding[]>;
}

export interface DeployOptions {
  readonly target: WorkloadTarget;
  /** `REGISTRY/REPO` (or `REGISTRY/REPO:TAG`, or with `@sha256:…` for an image already pushed). */
  readonly image: string;
  readonly container?: string;
  readonly source: ImageSource;
  /** The tag to push under; default: from `tagStrategy`. */
  readonly tag?: string;
  /** Default: `git` when building in a git tree, `content` for archives, else `timestamp`. */
  readonly tagStrategy?: TagStrategy;
  /** Roll back to the previous revision when the new one fails. Default: true. */
  readonly rollback?: boolean;
  /** Only say what would happen. */
  readonly dryRun?: boolean;
  /** Ctrl-C: stop waiting, change nothing further, report how to resume. */
  readonly signal?: AbortSignal;
  /** Wait at most this long for each rollout (ms). Default: 0 (until the rollout fails or finishes). */
  readonly timeoutMs?: number;
  /** How long a pod failure may last before the rollout counts as failed (ms). Default: 30 s. */
  readonly graceMs?: number;
  /** The change cause to record. Default: `kubefresh deploy IMAGE`. */
  readonly changeCause?: string;
  /** Connection flags to repeat in resume commands, kubectl's and kubefresh's (`--kubeconfig …`, `--context …`). */
  readonly kubeFlags?: readonly string[];
  /** Registry flags to repeat in kubefresh resume commands (`--insecure-registry …`, `--resolve …`). */
  readonly registryFlags?: readonly string[];
}

export type DeployOutcome =
  | 'verified'
  | 'rolled-back'
  /** Someone else changed the template during the rollout: nothing was verified or undone (exit 6). */
  | 'superseded'
  | 'rollback-failed'
  | 'failed'
  | 'interrupted'
  | 'planned';

export interface DeployResult {
  readonly outcome: DeployOutcome;
  /** 0 verified (or planned), 4 rolled back, 5 rollback failed or not attempted, 130 interrupted. */
  readonly exitCode: number;
  readonly target: WorkloadTarget;
  readonly container: string;
  /** What was deployed: `repo:tag@sha256:…`, its tag and digest (undefined before they were known). */
  readonly image: { readonly reference: string; readonly tag: string; readonly digest: string } | undefined;
  /** False when the workload already ran this exact image: nothing was changed, only verified. */
  readonly changed: boolean;
  /**
   * The image was already set by an earlier run of this same deploy (its change cause names this
   * image by digest), perhaps one killed before its verdict: this run carried the transaction on,
   * rolling back to the revision before on failure.
   */
  readonly resumed: boolean;
  readonly previous: { readonly image: string; readonly revision: number } | undefined;
  readonly verification: Verification | undefined;
  /** Why the new revision failed. */
  readonly failure: { readonly step: string; readonly code: string; readonly message: string } | undefined;
  readonly rollback:
    | {
        readonly message: string;
        readonly revision: number;
        readonly image: string;
        readonly verification: Verification | undefined;
        readonly error?: { readonly code: string; readonly message: string };
      }
    | undefined;
  /** The doctor's findings for the failed revision. */
  readonly findings: readonly Finding[];
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
  /** Commands to resume the check or to roll back (after Ctrl-C or a failure without rollback). */
  readonly resume: readonly string[];
  /** `--dry-run`: the steps that would run. */
  readonly plan: readonly string[];
  /** Conflicts (409) survived while writing. */
  readonly conflicts: number;
  readonly elapsedMs: number;
}

/** `error` as a KubefreshError, wrapping anything else under `code`. */
function asError(error: unknown, code: 'ROLLOUT_WATCH_FAILED'): KubefreshError {
  return isKubefreshError(error)
    ? error
    : new KubefreshError(code, String((error as Error)?.message ?? error), { cause: error });
}

function imageParts(text: string): { repo: ImageRef; repoText: string; tag?: string; digest?: string } {
  const ref = parseImageRef(text);
  let repoText = text;
  if (ref.digest !== undefined) repoText = repoText.slice(0, repoText.lastIndexOf('@'));
  if (ref.tag !== undefined) repoText = repoText.slice(0, repoText.length - ref.tag.length - 1);
  return {
    repo: ref,
    repoText,
    ...(ref.tag === undefined ? {} : { tag: ref.tag }),
    ...(ref.digest === undefined ? {} : { digest: ref.digest }),
  };
}

/**
 * `kubefresh deploy` as one transaction: build (or read an archive, or use what is in the
 * registry) → tag uniquely → push → resolve the digest from the registry → set the container's
 * image to `repo:tag@sha256:…` (with a change cause, retrying 409s) → wait (watch + kubectl's status
 * rules + the doctor's fail-fast codes) → verify that every pod of the new revision is ready on that
 * digest. On failure it rolls back to the previous revision, waits, verifies that, and attaches
 * the doctor's findings. Running it again with the same tag changes nothing and re-verifies.
 * Errors before anything is changed are thrown (`KubefreshError`); after that the result says.
 */
export async function deploy(deps: DeployDeps, options: DeployOptions): Promise<DeployResult> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const steps = new Steps(deps.events ?? SILENT, clock);
  const started = clock.now();
  // Reads and watches survive a flaky API server; a run that changed the cluster must reach a verdict.
  const kube = resilientKube(deps.kube, clock);
  const { registry } = deps;
  const { target, signal } = options;
  const parts = imageParts(options.image);
  if (options.tag !== undefined) validateTag(options.tag);
  if (options.tag !== undefined && parts.tag !== undefined && options.tag !== parts.tag) {
    throw new KubefreshError(
      'USAGE_CONFLICTING_TAGS',
      `--image "${options.image}" names tag "${parts.tag}" but --tag says "${options.tag}"`,
      { hint: 'give the tag once: --image REGISTRY/REPO --tag TAG' },
    );
  }
  if (parts.digest !== undefined && options.source.kind !== 'none') {
    throw new KubefreshError(
      'USAGE_DIGEST_WITH_BUILD',
      `--image "${options.image}" names a digest, which only makes sense with --no-build`,
    );
  }

  const workload = await kube.get<KubeObject & Parameters<typeof pickContainer>[0]>(
    target.resource,
    target.namespace,
    target.name,
  );
  const container = pickContainer(workload, options.container);
  const base = {
    target,
    container: container.name,
    resumed: false,
    findings: [] as readonly Finding[],
    plan: [] as readonly string[],
    resume: [] as readonly string[],
    conflicts: 0,
  };
  const warnings: { code: string; message: string }[] = [];
  // Resume and roll-back commands are argv arrays: names, images and flags from the cluster or the
  // user are single words of them, rendered for a shell only at the end.
  const kubeFlags = options.kubeFlags ?? [];
  const allFlags = [...kubeFlags, ...(options.registryFlags ?? [])];
  /** A kubectl command with the connection flags. */
  const withFlags = (...argv: string[]) => shellCommand([...argv, ...kubeFlags]);
  /** A kubefresh command with the connection and registry flags. */
  const withAllFlags = (...argv: string[]) => shellCommand([...argv, ...allFlags]);
  const ns = ['-n', target.namespace];
  const containerFlag = options.container === undefined ? [] : ['--container', options.container];
  const finish = (
    r: Omit<DeployResult, 'elapsedMs' | keyof typeof base | 'warnings'> & Partial<typeof base>,
  ): DeployResult => ({
    ...base,
    warnings,
    ...r,
    elapsedMs: clock.now() - started,
  });

  // --- tag strategy (before building: git and timestamp need no image) ---
  let tag = options.tag ?? parts.tag;
  const strategy: TagStrategy | undefined =
    tag === undefined && parts.digest === undefined
      ? (options.tagStrategy ??
        (options.source.kind === 'oci' || options.source.kind === 'tar'
          ? 'content'
          : options.source.kind === 'build'
            ? 'git'
            : undefined))
      : undefined;
  if (
    tag === undefined &&
    parts.digest === undefined &&
    options.source.kind === 'none' &&
    strategy === undefined
  ) {
    throw new KubefreshError(
      'USAGE_TAG_REQUIRED',
      `--no-build needs the image's tag or digest: --tag TAG, or --image ${parts.repoText}:TAG`,
      {
        hint: 'kubefresh deploys what is already in the registry under that tag, pinned by its digest',
      },
    );
  }

  if (options.dryRun) {
    const plan: string[] = [];
    const source = options.source;
    if (source.kind === 'build')
      plan.push(
        `build ${source.context}${source.file ? ` (-f ${source.file})` : ''} with ${source.builder ?? 'the detected builder (docker, podman or buildah)'}`,
      );
    if (source.kind === 'oci' || source.kind === 'tar') plan.push(`read the image from ${source.path}`);
    plan.push(
      tag !== undefined
        ? `tag: ${tag}`
        : parts.digest !== undefined
          ? `digest: ${parts.digest}`
          : `tag by strategy "${strategy}"`,
    );
    if (source.kind !== 'none') plan.push(`push to ${parts.repoText} with kubefresh's registry client`);
    plan.push(`resolve the digest of ${parts.repoText}:${tag ?? '<tag>'} from the registry`);
    plan.push(
      `set ${targetText(target)} -n ${target.namespace} container "${container.name}" (now ${container.image}) to ${parts.repoText}:${tag ?? '<tag>'}@sha256:…`,
    );
    plan.push('wait for the rollout (watch), failing fast on pull errors, crash loops and missing config');
    plan.push('verify every pod of the new revision is ready and runs the pushed digest');
    plan.push(
      options.rollback === false
        ? 'on failure: leave the failed revision (--no-rollback)'
        : 'on failure: roll back to the previous revision, wait and verify it',
    );
    return finish({
      outcome: 'planned',
      exitCode: EXIT_CODES.OK,
      image: undefined,
      changed: false,
      previous: undefined,
      verification: undefined,
      failure: undefined,
      rollback: undefined,
      plan,
    });
  }

  const interruptedBeforeChange = (): DeployResult =>
    finish({
      outcome: 'interrupted',
      exitCode: EXIT_CODES.INTERRUPTED,
      image: undefined,
      changed: false,
      previous: undefined,
      verification: undefined,
      failure: {
        step: 'interrupted',
        code: 'INTERRUPTED',
        message: 'interrupted before the cluster was changed',
      },
      rollback: undefined,
    });

  // --- build / read the image ---
  let image: PushableImage | undefined;
  let exported: { remove(): Promise<void> } | undefined;
  try {
    const source = options.source;
    if (source.kind === 'build') {
      if (deps.builder === undefined || deps.readArchive === undefined)
        throw new KubefreshError('INTERNAL_NO_BUILDER', 'deploy was given no builder');
      steps.start('build', `building ${source.context}`);
      const builder = await deps.builder(source.builder);
      const localName = `localhost/kubefresh-build/${parts.repo.repository.split('/').pop()}:${clock.now().toString(36)}`;
      await builder.build({
        context: source.context,
        ...(source.file ? { file: source.file } : {}),
        localName,
        ...(signal ? { signal } : {}),
      });
      const archive = await builder.exportArchive(localName, signal);
      exported = archive;
      image = await deps.readArchive(archive.path);
      steps.done('build', `built with ${builder.name}: ${image.top.digest}`);
    } else if (source.kind === 'oci' || source.kind === 'tar') {
      if (deps.readArchive === undefined)
        throw new KubefreshError('INTERNAL_NO_ARCHIVE_READER', 'deploy was given no archive reader');
      steps.start('build', `reading ${source.path}`);
      image = await deps.readArchive(source.path);
      steps.done('build', `read ${source.path}: ${image.top.digest}`);
    } else steps.skipped('build', '--no-build: using the image in the registry');
  } catch (error) {
    await exported?.remove();
    if (signal?.aborted) return interruptedBeforeChange();
    steps.failed(
      'build',
      isKubefreshError(error) ? error.code : 'BUILD_FAILED',
      String((error as Error).message ?? error),
    );
    throw error;
  }

  try {
    // --- tag ---
    if (tag === undefined && strategy !== undefined) {
      steps.start('tag', `tagging by ${strategy}`);
      if (strategy === 'git') {
        const dir = options.source.kind === 'build' ? options.source.context : '.';
        if (deps.git === undefined)
          throw new KubefreshError('INTERNAL_NO_GIT', 'deploy was given no git reader');
        tag = tagFor({ strategy, ...(await deps.git(dir)) });
      } else if (strategy === 'timestamp') tag = tagFor({ strategy, now: clock.now() });
      else {
        if (image === undefined)
          throw new KubefreshError(
            'USAGE_TAG_STRATEGY',
            '--tag-strategy content needs an image to push (not --no-build)',
          );
        tag = tagFor({ strategy, digest: image.top.digest });
      }
      steps.done('tag', `tag ${tag}`);
    }

    // --- push ---
    const reference = tag ?? parts.digest!;
    if (image !== undefined) {
      steps.start('push', `pushing to ${parts.repoText}:${reference}`);
      const pushed = await pushImage(registry, parts.repo, image, reference, signal);
      steps.done(
        'push',
        `pushed ${pushed.blobs - pushed.skipped} of ${pushed.blobs} blobs (${pushed.skipped} already there), ${pushed.bytes} bytes`,
      );
    }
  } catch (error) {
    if (signal?.aborted) return interruptedBeforeChange();
    steps.failed(
      'push',
      isKubefreshError(error) ? error.code : 'REGISTRY_PUSH_FAILED',
      String((error as Error).message ?? error),
    );
    throw error;
  } finally {
    await exported?.remove();
  }

  // --- resolve from the registry: never trust the builder ---
  steps.start('resolve', `resolving ${parts.repoText}:${tag ?? parts.digest}`);
  let digest: string;
  let expected: RegistryImage;
  try {
    const resolved = await registry.resolve(parts.repo, tag ?? parts.digest);
    digest = resolved.digest;
    if (parts.digest !== undefined && digest !== parts.digest) {
      throw new KubefreshError(
        'DEPLOY_TAG_MOVED',
        `${parts.repoText}:${tag} now names ${resolved.digest}, not ${parts.digest}`,
      );
    }
    if (image !== undefined && digest !== image.top.digest) {
      throw new KubefreshError(
        'DEPLOY_TAG_MOVED',
        `the registry serves ${digest} for ${parts.repoText}:${tag}, not the ${image.top.digest} just pushed: something else pushed the same tag`,
        { hint: 'use a unique tag (--tag-strategy git|timestamp|content) so no other push can move it' },
      );
    }
    expected = await registryImageOf(registry, parts.repo, digest);
  } catch (error) {
    steps.failed(
      'resolve',
      isKubefreshError(error) ? error.code : 'REGISTRY_FAILED',
      String((error as Error).message ?? error),
    );
    throw error;
  }
  const reference = `${parts.repoText}${tag === undefined ? '' : `:${tag}`}@${digest}`;
  steps.done('resolve', `${parts.repoText}:${tag ?? ''} is ${digest}`);
  const deployed = { reference, tag: tag ?? '', digest };
  const rerun = withAllFlags(
    'kubefresh',
    'deploy',
    targetText(target),
    ...ns,
    '--image',
    tag === undefined ? `${parts.repoText}@${digest}` : parts.repoText,
    '--no-build',
    ...(tag === undefined ? [] : ['--tag', tag]),
    ...containerFlag,
  );
  if (signal?.aborted) return interruptedBeforeChange();

  // --- set image ---
  steps.start('set-image', `setting ${container.name}=${reference}`);
  const nodesPromise = observed(kube.list<NodeObject & KubeObject>('nodes'));
  let previous: PreviousState;
  let changed: boolean;
  const changeCause = options.changeCause ?? `kubefresh deploy ${reference}`;
  try {
    const set = await setImage(kube, clock, target, {
      container: options.container ?? container.name,
      image: reference,
      changeCause,
    });
    previous = set.previous;
    changed = set.changed;
    base.conflicts = set.conflicts;
    const earlier = changed
      ? undefined
      : await ownEarlierChange(kube, target, set.workload, container.name, changeCause);
    if (earlier !== undefined) {
      previous = earlier;
      base.resumed = true;
    }
    if (changed)
      steps.done('set-image', `${targetText(target)} ${container.name}: ${previous.image} → ${reference}`);
    else if (base.resumed)
      steps.skipped(
        'set-image',
        `${targetText(target)} already runs ${reference}, set by an earlier run of this deploy (killed before its verdict, or verified then): checking it as this run's own (on failure, back to ${previous.image})`,
      );
    else steps.skipped('set-image', `${targetText(target)} already runs ${reference}: re-verifying`);
  } catch (error) {
    steps.failed(
      'set-image',
      isKubefreshError(error) ? error.code : 'KUBE_FAILED',
      String((error as Error).message ?? error),
    );
    throw error;
  }
  const previousInfo = { image: previous.image, revision: previous.revision };
  const rollbackCommand =
    target.kind === 'Deployment' && previous.revision > 0
      ? withFlags(
          'kubectl',
          'rollout',
          'undo',
          targetText(target),
          ...ns,
          `--to-revision=${previous.revision}`,
        )
      : withFlags(
          'kubectl',
          'set',
          'image',
          targetText(target),
          ...ns,
          `${container.name}=${previous.image}`,
        );

  // This run's transaction: its own change, or an earlier run's that it resumed.
  const acted = changed || base.resumed;

  // --- wait + verify ---
  // From here the cluster has changed: every error is a failed step with a verdict, never a throw.
  let nodes: readonly NodeObject[] | undefined;
  const nodesNow = async () => {
    nodes ??= (await nodesPromise.catch(() => kube.list<NodeObject & KubeObject>('nodes'))).items;
    return nodes;
  };
  const waitAndVerify = async (
    step: 'wait' | 'rollback',
    expectedImage: RegistryImage | undefined,
  ): Promise<{ wait: WaitResult; verification: Verification | undefined }> => {
    const knownNodes = await nodesNow();
    const wait = await waitForRollout({ kube, clock, events: { emit: (e) => steps.emit(e) } }, target, {
      container: container.name,
      step,
      ...(signal ? { signal } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
      ...(step === 'wait' && acted
        ? { replaced: (w: WorkloadObject) => replacedBy(w, container.name, reference, changeCause) }
        : {}),
      ...(expectedImage === undefined
        ? {}
        : {
            verify: (pods, workload) =>
              verifyPods({
                pods,
                desired: desiredPods(workload),
                container: container.name,
                expected: expectedImage,
                nodes: knownNodes,
              }),
          }),
    });
    return { wait, verification: wait.outcome === 'done' ? wait.verification : undefined };
  };

  steps.start('wait', `waiting for ${targetText(target)}`);
  let first: Awaited<ReturnType<typeof waitAndVerify>> | undefined;
  let waitError: KubefreshError | undefined;
  try {
    first = await waitAndVerify('wait', expected);
  } catch (error) {
    waitError = asError(error, 'ROLLOUT_WATCH_FAILED');
  }
  if (first?.wait.outcome === 'interrupted') {
    steps.failed('wait', 'INTERRUPTED', 'stopped waiting (interrupted); nothing further was changed');
    return finish({
      outcome: 'interrupted',
      exitCode: EXIT_CODES.INTERRUPTED,
      image: deployed,
      changed,
      previous: previousInfo,
      verification: undefined,
      failure: {
        step: 'wait',
        code: 'INTERRUPTED',
        message: `interrupted while waiting: ${first.wait.check?.status.message ?? ''}`.trim(),
      },
      rollback: undefined,
      resume: acted ? [rerun, rollbackCommand] : [rerun],
    });
  }
  let failure: DeployResult['failure'];
  if (first === undefined) {
    const error = waitError ?? new KubefreshError('ROLLOUT_WATCH_FAILED', 'the wait ended without a verdict');
    failure = { step: 'wait', code: error.code, message: `could not follow the rollout: ${error.message}` };
    steps.failed('wait', failure.code, failure.message);
  } else if (first.wait.outcome === 'done') {
    steps.done('wait', first.wait.check?.status.message ?? 'rolled out');
    steps.start('verify', `verifying pods run ${digest}`);
    const v = first.verification!;
    if (v.ok) {
      steps.done('verify', v.message);
      // The tag should still name what was deployed; if not, someone pushed over it meanwhile.
      if (tag !== undefined) {
        try {
          const now = await (deps.freshRegistry?.() ?? registry).resolve(parts.repo, tag);
          if (now.digest !== digest) {
            const message = `${parts.repoText}:${tag} moved to ${now.digest} during the rollout; the pods run ${digest} as deployed (pinned by digest)`;
            warnings.push({ code: 'DEPLOY_TAG_MOVED', message });
            steps.warning('DEPLOY_TAG_MOVED', message);
          }
        } catch {
          // The verdict stands on the pods; a registry hiccup here only loses the warning.
        }
      }
      return finish({
        outcome: 'verified',
        exitCode: EXIT_CODES.OK,
        image: deployed,
        changed,
        previous: previousInfo,
        verification: v,
        failure: undefined,
        rollback: undefined,
      });
    }
    failure = { step: 'verify', code: 'DEPLOY_DIGEST_MISMATCH', message: v.message };
    steps.failed('verify', failure.code, failure.message);
  } else {
    failure = {
      step: 'wait',
      code: first.wait.reason?.code ?? 'ROLLOUT_FAILED',
      message: first.wait.reason?.message ?? 'the rollout failed',
    };
    steps.failed('wait', failure.code, failure.message);
  }

  // Another change replaced this revision: verifying or undoing it would act on someone else's.
  const supersededResult = (message: string): DeployResult =>
    finish({
      image: deployed,
      changed,
      previous: previousInfo,
      verification: undefined,
      failure: { step: 'wait', code: 'DEPLOY_SUPERSEDED', message },
      outcome: 'superseded',
      exitCode: EXIT_CODES.SUPERSEDED,
      rollback: undefined,
      resume: [withAllFlags('kubefresh', 'doctor', targetText(target), ...ns)],
    });
  if (failure.code === 'DEPLOY_SUPERSEDED') return supersededResult(failure.message);

  // --- the new revision failed: findings, then roll back ---
  let findings: readonly Finding[] = [];
  if (deps.diagnose !== undefined) {
    try {
      findings = await deps.diagnose(target);
    } catch {
      // Findings are extra evidence; their absence must not stop the rollback.
    }
  }
  const failedResult = {
    image: deployed,
    changed,
    previous: previousInfo,
    verification: first?.verification,
    failure,
    findings,
  };
  if (options.rollback === false || !acted) {
    return finish({
      ...failedResult,
      outcome: 'failed',
      exitCode: EXIT_CODES.ROLLBACK_FAILED,
      rollback: undefined,
      resume: acted ? [rollbackCommand, rerun] : [],
    });
  }
  // The last look before undoing: the template must still be this deploy's.
  try {
    const now = await kube.get<WorkloadObject & KubeObject>(target.resource, target.namespace, target.name);
    const lost = replacedBy(now, container.name, reference, changeCause);
    if (lost !== undefined) return supersededResult(lost);
  } catch {
    // Unreadable now: the rollback's own read-modify-write decides.
  }
  steps.start('rollback', `rolling back to ${previous.image}`);
  let rollbackMessage: string;
  let rollbackRevision: number;
  try {
    const rolled = await rollbackTo(
      { kube, clock },
      target,
      target.kind === 'Deployment' && previous.revision > 0
        ? { toRevision: previous.revision }
        : { template: previous.template, changeCause: previous.changeCause },
    );
    rollbackMessage = rolled.message;
    rollbackRevision = rolled.revision;
    if (rolled.deletedPods.length > 0)
      steps.emit({ type: 'step:progress', step: 'rollback', message: rolled.message });
  } catch (error) {
    const err = isKubefreshError(error) ? error : new KubefreshError('ROLLOUT_UNDO_FAILED', String(error));
    steps.failed('rollback', err.code, err.message);
    return finish({
      ...failedResult,
      outcome: 'rollback-failed',
      exitCode: EXIT_CODES.ROLLBACK_FAILED,
      rollback: {
        message: err.message,
        revision: previous.revision,
        image: previous.image,
        verification: undefined,
        error: { code: err.code, message: err.message },
      },
      resume: [rollbackCommand],
    });
  }
  let previousExpected: RegistryImage | undefined;
  try {
    const prevRef = parseImageRef(previous.image);
    previousExpected = await registryImageOf(registry, prevRef);
  } catch (error) {
    const message = `cannot read ${previous.image} from the registry to verify the rollback: ${(error as Error).message}`;
    warnings.push({ code: 'ROLLBACK_UNVERIFIED', message });
    steps.warning('ROLLBACK_UNVERIFIED', message);
  }
  let second: Awaited<ReturnType<typeof waitAndVerify>>;
  try {
    second = await waitAndVerify('rollback', previousExpected);
  } catch (error) {
    const err = asError(error, 'ROLLOUT_WATCH_FAILED');
    const message = `the rollback was applied but could not be followed: ${err.message}`;
    steps.failed('rollback', err.code, message);
    return finish({
      ...failedResult,
      outcome: 'rollback-failed',
      exitCode: EXIT_CODES.ROLLBACK_FAILED,
      rollback: {
        message: rollbackMessage,
        revision: rollbackRevision,
        image: previous.image,
        verification: undefined,
        error: { code: err.code, message },
      },
      resume: [
        withFlags('kubectl', 'rollout', 'status', targetText(target), ...ns),
        withAllFlags('kubefresh', 'doctor', targetText(target), ...ns),
      ],
    });
  }
  const rollbackInfo = (
    verification: Verification | undefined,
    error?: { code: string; message: string },
  ) => ({
    message: rollbackMessage,
    revision: rollbackRevision,
    image: previous.image,
    verification,
    ...(error ? { error } : {}),
  });
  if (second.wait.outcome === 'interrupted') {
    steps.failed('rollback', 'INTERRUPTED', 'stopped waiting for the rollback (interrupted)');
    return finish({
      ...failedResult,
      outcome: 'interrupted',
      exitCode: EXIT_CODES.INTERRUPTED,
      rollback: rollbackInfo(undefined, {
        code: 'INTERRUPTED',
        message: 'interrupted while waiting for the rollback',
      }),
      resume: [withFlags('kubectl', 'rollout', 'status', targetText(target), ...ns)],
    });
  }
  if (second.wait.outcome !== 'done' || (second.verification !== undefined && !second.verification.ok)) {
    const error =
      second.wait.outcome !== 'done'
        ? {
            code: second.wait.reason?.code ?? 'ROLLOUT_FAILED',
            message: second.wait.reason?.message ?? 'the rollback did not roll out',
          }
        : { code: 'DEPLOY_DIGEST_MISMATCH', message: second.verification!.message };
    steps.failed('rollback', error.code, error.message);
    return finish({
      ...failedResult,
      outcome: 'rollback-failed',
      exitCode: EXIT_CODES.ROLLBACK_FAILED,
      rollback: rollbackInfo(second.verification, error),
      resume: [withAllFlags('kubefresh', 'doctor', targetText(target), ...ns)],
    });
  }
  steps.done(
    'rollback',
    `${rollbackMessage}: ${second.verification?.message ?? second.wait.check?.status.message ?? ''}`,
  );
  return finish({
    ...failedResult,
    outcome: 'rolled-back',
    exitCode: EXIT_CODES.ROLLED_BACK,
    rollback: rollbackInfo(second.verification),
  });
}
