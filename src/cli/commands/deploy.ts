import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseTagStrategy, type TagStrategy, validateTag } from '../../core/tag-strategy/index.js';
import { KubefreshError, redact } from '../../errors/index.js';
import type { DeployResult, ImageSource } from '../../pipeline/deploy/index.js';
import type { PipelineEvent } from '../../ports/events.js';
import type { BuilderName } from '../../ports/image-builder.js';
import { addKubeFlags, connect } from '../cluster-flags.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { addRegistryFlags, parseDuration, type RegistryFlags } from '../registry-flags.js';
import type { Colors } from '../render/colors.js';
import { createProgress, formatDuration } from '../render/progress.js';
import { writeResult } from '../render/result.js';
import { writeData } from '../render/terminal-sink.js';

/** The version of `deploy -o json` and of the final `-o jsonl` line. Raised only for breaking changes. */
export const DEPLOY_JSON_SCHEMA_VERSION = 1;

interface DeployFlags extends RegistryFlags {
  readonly image: string;
  readonly container?: string;
  readonly namespace?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly requestTimeout: number;
  readonly resolve: string[];
  readonly builder?: BuilderName;
  readonly buildContext: string;
  readonly file?: string;
  readonly fromOci?: string;
  readonly fromTar?: string;
  readonly build: boolean;
  readonly tag?: string;
  readonly tagStrategy?: TagStrategy;
  readonly rollback: boolean;
  readonly dryRun?: boolean;
  readonly waitTimeout: number;
  readonly grace: number;
  readonly changeCause?: string;
  readonly output: 'text' | 'json' | 'jsonl';
}

function source(flags: DeployFlags, cwd: string): ImageSource {
  const chosen = [
    flags.fromOci && '--from-oci',
    flags.fromTar && '--from-tar',
    !flags.build && '--no-build',
  ].filter(Boolean);
  if (chosen.length > 1) {
    throw new KubefreshError(
      'USAGE_CONFLICTING_SOURCES',
      `${chosen.join(' and ')} cannot be used together: pick one image source`,
    );
  }
  // Checked before anything else, so --dry-run cannot plan a build of a directory that is not there.
  const existing = (flag: string, path: string, kind: 'directory' | 'any') => {
    const full = resolve(cwd, path);
    const info = statSync(full, { throwIfNoEntry: false });
    if (info === undefined || (kind === 'directory' && !info.isDirectory())) {
      throw new KubefreshError(
        'USAGE_NO_SUCH_PATH',
        `${flag} "${path}" ${info === undefined ? 'does not exist' : 'is not a directory'}`,
        { hint: kind === 'directory' ? 'pass the directory holding the Dockerfile' : 'check the path' },
      );
    }
    return full;
  };
  if (flags.fromOci !== undefined) return { kind: 'oci', path: existing('--from-oci', flags.fromOci, 'any') };
  if (flags.fromTar !== undefined) return { kind: 'tar', path: existing('--from-tar', flags.fromTar, 'any') };
  if (!flags.build) return { kind: 'none' };
  return {
    kind: 'build',
    context: existing('--context-dir', flags.buildContext, 'directory'),
    ...(flags.file === undefined ? {} : { file: flags.file }),
    ...(flags.builder === undefined ? {} : { builder: flags.builder }),
  };
}

/** Connection flags worth repeating in resume commands (kubectl takes the same ones). */
function kubeFlags(flags: DeployFlags): string[] {
  const out: string[] = [];
  if (flags.kubeconfig !== undefined) out.push('--kubeconfig', flags.kubeconfig);
  if (flags.context !== undefined) out.push('--context', flags.context);
  return out;
}

/** Registry reachability flags, for kubefresh resume commands only. */
function registryFlagsOf(flags: DeployFlags): string[] {
  const out: string[] = [];
  for (const host of flags.insecureRegistry) out.push('--insecure-registry', host);
  for (const entry of flags.resolve) out.push('--resolve', entry);
  return out;
}

/** The text report after the step list: verdict, pods per node, findings, resume commands. */
export function renderDeployText(result: DeployResult, c: Colors): string {
  const lines: string[] = [];
  const what = `${result.target.kind.toLowerCase()}/${result.target.name}`;
  const took = c.dim(`in ${formatDuration(result.elapsedMs)}`);
  switch (result.outcome) {
    case 'planned':
      lines.push(c.bold(`plan for ${what} (dry run, nothing changed):`));
      for (const [i, step] of result.plan.entries()) lines.push(`  ${i + 1}. ${step}`);
      break;
    case 'verified':
      lines.push(
        `${c.green('✓ verified')} ${c.bold(what)} runs ${result.image?.reference}${result.changed ? '' : result.resumed ? ' (set by an earlier run of this deploy; re-verified)' : ' (already deployed; re-verified)'} ${took}`,
      );
      break;
    case 'rolled-back':
      lines.push(`${c.red('✗ failed')} ${c.bold(what)}: ${result.failure?.code}: ${result.failure?.message}`);
      lines.push(
        `${c.yellow('↩ rolled back')} to ${result.rollback?.image} (revision ${result.rollback?.revision}): ${result.rollback?.verification?.message ?? result.rollback?.message} ${took}`,
      );
      break;
    case 'rollback-failed':
      lines.push(`${c.red('✗ failed')} ${c.bold(what)}: ${result.failure?.code}: ${result.failure?.message}`);
      lines.push(
        `${c.red('✗ rollback failed')}: ${result.rollback?.error?.code}: ${result.rollback?.error?.message}`,
      );
      break;
    case 'failed':
      lines.push(`${c.red('✗ failed')} ${c.bold(what)}: ${result.failure?.code}: ${result.failure?.message}`);
      lines.push(
        result.changed
          ? 'not rolled back (--no-rollback): the failed revision is still in place'
          : 'nothing was changed by this run',
      );
      break;
    case 'superseded':
      lines.push(`${c.yellow('⇄ superseded')} ${c.bold(what)}: ${result.failure?.message}`);
      lines.push('not verified and not rolled back: the revision in place is no longer this deploy’s');
      break;
    case 'interrupted':
      lines.push(`${c.yellow('■ interrupted')} ${c.bold(what)}: stopped; nothing further was changed`);
      if (result.image) lines.push(`  applied: ${result.image.reference}`);
      break;
  }
  const verification = result.outcome === 'rolled-back' ? result.rollback?.verification : result.verification;
  if (verification !== undefined && verification.pods.length > 0) {
    const byNode = new Map<string, string[]>();
    for (const p of verification.pods)
      byNode.set(p.node ?? '-', [...(byNode.get(p.node ?? '-') ?? []), p.pod]);
    lines.push(c.dim('  pods per node:'));
    for (const [node, pods] of [...byNode].sort(([a], [b]) => a.localeCompare(b)))
      lines.push(c.dim(`    ${node.padEnd(16)} ${pods.length}  ${pods.join(' ')}`));
  }
  for (const w of result.warnings) lines.push(c.yellow(`warning: ${w.code}: ${w.message}`));
  const findings = result.findings.filter((f) => !f.code.startsWith('OK_'));
  if (findings.length > 0) {
    lines.push(c.bold('why the new revision failed (doctor):'));
    for (const f of findings) {
      lines.push(`  ${c.red(f.code)}  ${f.message}`);
      if (f.remedy.commands[0] !== undefined) lines.push(`    ${c.green('fix:')} ${f.remedy.commands[0]}`);
      else if (f.remedy.text) lines.push(`    ${c.green('fix:')} ${f.remedy.text}`);
    }
  }
  if (result.resume.length > 0) {
    const [first, ...rest] = result.resume;
    lines.push(result.outcome === 'interrupted' ? 'to resume the check:' : 'next:');
    lines.push(`  ${first}`);
    if (rest.length > 0) {
      lines.push(result.outcome === 'interrupted' ? 'to roll back:' : 'or:');
      for (const r of rest) lines.push(`  ${r}`);
    }
  }
  return `${redact(lines.join('\n'))}\n`;
}

/** `deploy -o json`: the result as one document. */
export function deployJson(result: DeployResult): Record<string, unknown> {
  return {
    schemaVersion: DEPLOY_JSON_SCHEMA_VERSION,
    kind: 'kubefresh.deploy',
    outcome: result.outcome,
    exitCode: result.exitCode,
    target: result.target,
    container: result.container,
    image: result.image ?? null,
    changed: result.changed,
    resumed: result.resumed,
    previous: result.previous ?? null,
    verification: result.verification ?? null,
    failure: result.failure ?? null,
    rollback: result.rollback ?? null,
    findings: result.findings,
    warnings: result.warnings,
    resume: result.resume,
    plan: result.plan,
    conflicts: result.conflicts,
    elapsedMs: result.elapsedMs,
  };
}

function parseBuilder(value: string): BuilderName {
  if (value === 'docker' || value === 'podman' || value === 'buildah') return value;
  throw new InvalidArgumentError(`expected docker, podman or buildah, got ${JSON.stringify(value)}`);
}

const argParse =
  <T>(parse: (v: string) => T) =>
  (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

/** `kubefresh deploy TYPE/NAME --image REGISTRY/REPO`: build, push, pin by digest, wait, verify, or roll back. */
export function deployCommand(context: CommandContext): Command {
  const command = new Command('deploy')
    .description(
      'build, push and roll out an image as a verified transaction: every pod proven on the pushed digest, or rolled back',
    )
    .argument('<workload>', 'deployment/NAME, statefulset/NAME or daemonset/NAME')
    .requiredOption(
      '--image <repository>',
      'where to push: REGISTRY/REPO (REGISTRY/REPO:TAG with --no-build)',
    )
    .option('-c, --container <name>', 'the container to update (needed when the pod has several)')
    .option('-n, --namespace <namespace>', 'the namespace (default: the context namespace)')
    .addOption(
      new Option('--builder <name>', 'docker, podman or buildah (default: the first that works)').argParser(
        parseBuilder,
      ),
    )
    .option('--context-dir <dir>', 'the build context directory', '.')
    .option('-f, --file <Dockerfile>', 'the Dockerfile (default: Dockerfile in --context-dir)')
    .option('--from-oci <dir>', 'push this OCI image layout directory instead of building')
    .option('--from-tar <file>', 'push this docker-save or OCI archive instead of building')
    .option('--no-build', 'deploy an image already in the registry (give --tag or REPO:TAG)')
    .addOption(new Option('--tag <tag>', 'the tag to push under').argParser(argParse(validateTag)))
    .addOption(
      new Option(
        '--tag-strategy <strategy>',
        'how to make a unique tag: git, timestamp or content',
      ).argParser(argParse(parseTagStrategy)),
    )
    .option('--no-rollback', 'leave a failed revision in place')
    .option('--dry-run', 'print the plan and change nothing')
    .addOption(
      new Option(
        '--wait-timeout <duration>',
        'give up waiting for the rollout after this long (0 = no limit)',
      )
        .argParser((v: string) => (v.trim() === '0' ? 0 : parseDuration(v)))
        .default(0, '0'),
    )
    .addOption(
      new Option(
        '--grace <duration>',
        'how long a crash loop, pull error or missing config may last before the rollout fails',
      )
        .argParser(parseDuration)
        .default(30_000, '30s'),
    )
    .option(
      '--change-cause <text>',
      'the kubernetes.io/change-cause to record (default: kubefresh deploy IMAGE)',
    )
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'jsonl']).default('text'),
    );
  addKubeFlags(command);
  addRegistryFlags(command);
  command
    .addHelpText(
      'after',
      `
Steps: build (or --from-oci / --from-tar / --no-build) → unique tag → push → resolve the digest from
the registry → set the image to REPO:TAG@sha256:… → wait (fails fast on pull errors, crash loops,
missing config) → verify every pod of the new revision is ready on that digest. On failure it rolls
back to the previous revision and verifies that. Running it again changes nothing and re-verifies.
Ctrl-C stops waiting, changes nothing further and prints how to resume or roll back.
Exit codes: 0 deployed and verified, 4 failed and rolled back, 5 failed and not rolled back
(or the rollback failed), 130 interrupted, 2 usage, 3 other errors.
${examples([
  [
    'Build with the detected builder, tag by git commit, deploy and verify',
    'kubefresh deploy deployment/web --image registry.local:5000/web',
  ],
  [
    'Push an OCI layout built elsewhere (no builder needed)',
    'kubefresh deploy deployment/web --image registry.local:5000/web --from-oci ./out/web',
  ],
  [
    'Deploy a tag already in the registry, pinned by digest',
    'kubefresh deploy deployment/web --image registry.local:5000/web --no-build --tag 1.4.2',
  ],
  ['See the plan only', 'kubefresh deploy deployment/web --image registry.local:5000/web --dry-run'],
  [
    'One JSON event per line, for pipelines',
    'kubefresh deploy deployment/web --image registry.local:5000/web -o jsonl',
  ],
])}`,
    )
    .action(async (workload: string, raw: Record<string, unknown>, self: Command) => {
      const flags = {
        ...raw,
        buildContext: (raw.contextDir as string | undefined) ?? '.',
      } as unknown as DeployFlags;
      const { io } = context;
      const { parseWorkloadTarget, deploy } = await import('../../pipeline/deploy/index.js');
      const imageSource = source(flags, io.cwd);
      const deps = await connect(flags, context);
      const namespace = flags.namespace ?? io.env.KUBEFRESH_NAMESPACE ?? deps.kube.defaultNamespace;
      const target = parseWorkloadTarget(workload, namespace);
      const build = await import('../../adapters/build/index.js');
      const { runDoctor } = await import('../../pipeline/doctor/index.js');
      const quiet = context.globals(self).quiet;
      const live = io.stdoutIsTTY && io.env.CI !== 'true' && flags.output === 'text';
      const progress =
        flags.output === 'text' && !quiet
          ? createProgress({ out: io.stdout, colors: context.colors(self), live })
          : undefined;
      const emit = (event: PipelineEvent) => {
        if (flags.output === 'jsonl') writeData(io.stdout, `${redact(JSON.stringify(event))}\n`);
        else progress?.emit(event);
      };
      let result: DeployResult;
      try {
        result = await deploy(
          {
            kube: deps.kube,
            registry: deps.registry,
            freshRegistry: () => deps.registryWithLogins(new Map()),
            events: { emit },
            builder: async (name) => (name === undefined ? build.detectBuilder() : build.createBuilder(name)),
            readArchive: build.readImageArchive,
            git: build.gitState,
            diagnose: async (t) =>
              (
                await runDoctor(
                  { kube: deps.kube, registry: deps.registry },
                  {
                    scope: {
                      namespace: t.namespace,
                      target: { kind: t.kind.toLowerCase() as 'deployment', name: t.name },
                    },
                  },
                )
              ).findings,
          },
          {
            target,
            image: flags.image,
            source: imageSource,
            ...(flags.container === undefined ? {} : { container: flags.container }),
            ...(flags.tag === undefined ? {} : { tag: flags.tag }),
            ...(flags.tagStrategy === undefined ? {} : { tagStrategy: flags.tagStrategy }),
            rollback: flags.rollback,
            dryRun: flags.dryRun === true,
            ...(io.signal ? { signal: io.signal } : {}),
            timeoutMs: flags.waitTimeout,
            graceMs: flags.grace,
            ...(flags.changeCause === undefined ? {} : { changeCause: flags.changeCause }),
            kubeFlags: kubeFlags(flags),
            registryFlags: registryFlagsOf(flags),
          },
        );
      } finally {
        progress?.stop();
      }
      writeResult(io.stdout, flags.output, deployJson(result), () =>
        renderDeployText(result, context.colors(self)),
      );
      context.setExitCode(result.exitCode);
    });
  return command;
}
