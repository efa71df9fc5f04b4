import { Command, Option } from 'commander';
import { shortDigest } from '../../core/diagnose/index.js';
import { EXIT_CODES, redact } from '../../errors/index.js';
import type { PodDigest, RestartResult } from '../../pipeline/restart/index.js';
import type { EventSink, PipelineEvent } from '../../ports/events.js';
import { addKubeFlags, connect } from '../cluster-flags.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import type { CliIO } from '../io.js';
import { addRegistryFlags, parseDuration, type RegistryFlags } from '../registry-flags.js';
import type { Colors } from '../render/colors.js';
import { deploymentName } from './history.js';

/** The flags restart and rollback share. */
export interface RolloutFlags extends RegistryFlags {
  readonly namespace?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly requestTimeout: number;
  readonly resolve: string[];
  readonly rolloutTimeout: number;
  readonly output: 'text' | 'json' | 'jsonl';
}

/** `-n`, the kube and registry flags, `--rollout-timeout` and `-o text|json|jsonl`. */
export function addRolloutFlags(command: Command): Command {
  command
    .option('-n, --namespace <namespace>', 'the namespace (default: the context namespace)')
    .addOption(
      new Option(
        '--rollout-timeout <duration>',
        'stop waiting for the rollout after this long (0 = no limit)',
      )
        .argParser((value: string) => (value.trim() === '0' ? 0 : parseDuration(value)))
        .default(0, '0'),
    )
    .addOption(
      new Option(
        '-o, --output <format>',
        'output format: text, json (one document) or jsonl (one event per line)',
      )
        .choices(['text', 'json', 'jsonl'])
        .default('text'),
    );
  addKubeFlags(command);
  addRegistryFlags(command);
  return command;
}

/** Pipeline events as the CLI prints them: plain lines for text, one JSON object per line for jsonl. */
export function eventPrinter(
  io: CliIO,
  output: RolloutFlags['output'],
  c: Colors,
  quiet: boolean,
): EventSink {
  let lastProgress = '';
  return {
    emit(event: PipelineEvent) {
      if (output === 'jsonl') {
        io.stdout.write(`${redact(JSON.stringify(event))}\n`);
        return;
      }
      if (output === 'json' || quiet) return;
      const line = eventLine(event, c);
      if (line === undefined) return;
      if (event.type === 'step:progress') {
        if (line === lastProgress) return;
        lastProgress = line;
      }
      io.stderr.write(`${redact(line)}\n`);
    },
  };
}

export function eventLine(event: PipelineEvent, c: Colors): string | undefined {
  switch (event.type) {
    case 'step:start':
      return `${c.cyan('→')} ${event.message}`;
    case 'step:progress':
      return c.dim(
        `  ${event.message}${event.pods ? ` (${event.pods.updated}/${event.pods.desired} updated, ${event.pods.ready} ready)` : ''}`,
      );
    case 'step:done':
      return `${c.green('✓')} ${event.message} ${c.dim(`${(event.durationMs / 1000).toFixed(1)}s`)}`;
    case 'step:failed':
      return `${c.red('✗')} ${event.code}: ${event.message}`;
    case 'step:skipped':
      return `${c.dim('-')} ${event.message}`;
    case 'warning':
      return undefined;
  }
}

/** `k3s-agent-1  web-7d9c-x2x4z  sha256:0123456789ab` lines for a set of pods. */
export function podLines(pods: readonly PodDigest[], c: Colors, indent = '    '): string[] {
  return pods.map(
    (p) =>
      `${indent}${(p.node ?? '-').padEnd(14)} ${p.pod.padEnd(28)} ${p.digest === undefined ? c.yellow('not started') : shortDigest(p.digest)}`,
  );
}

/** A warning with its fix commands, for text output. */
export function warningLines(
  w: { code: string; container: string; message: string; fix: readonly string[] },
  c: Colors,
): string[] {
  const lines = [`${c.yellow('!')} ${c.yellow(w.code)} ${w.container}: ${w.message}`];
  w.fix.forEach((command, i) => {
    lines.push(`    ${i === 0 ? c.green('fix:') : '    '} ${c.dim('$')} ${command}`);
  });
  return lines;
}

/** The text summary of a restart: per container, the pods before and after, then warnings. */
export function renderRestartText(result: RestartResult, name: string, c: Colors): string {
  const lines: string[] = [];
  for (const container of result.containers) {
    const registry =
      container.registry === undefined
        ? container.pinned === undefined
          ? ''
          : `  pinned ${shortDigest(container.pinned)}`
        : 'digest' in container.registry
          ? `  registry now ${shortDigest(container.registry.digest)}`
          : `  registry: ${container.registry.error}`;
    lines.push(`${c.bold(container.name)}  ${container.image}  (${container.pullPolicy})${registry}`);
    lines.push('  before:', ...podLines(container.before, c));
    lines.push('  after:', ...podLines(container.after, c));
  }
  for (const w of result.warnings) lines.push(...warningLines(w, c));
  if (result.outcome === 'restarted') {
    const ok = result.warnings.length === 0;
    lines.push(
      ok
        ? c.green(`deployment.apps/${name} restarted (revision ${result.revision}), every pod verified`)
        : c.yellow(`deployment.apps/${name} restarted (revision ${result.revision}), with warnings`),
    );
  } else {
    lines.push(c.red(`deployment.apps/${name}: ${result.reason?.message ?? result.outcome}`));
  }
  return `${redact(lines.join('\n'))}\n`;
}

/** `restart -o json`. */
export function restartJson(result: RestartResult, namespace: string, name: string): Record<string, unknown> {
  return {
    kind: 'kubefresh.restart',
    namespace,
    name,
    outcome: result.outcome,
    restartedAt: result.restartedAt,
    revision: result.revision ?? null,
    reason: result.reason ?? null,
    containers: result.containers,
    warnings: result.warnings,
  };
}

/** Lines telling an interrupted user how to carry on: check again, or go back. */
export function resumeLines(namespace: string, name: string): string {
  return [
    'stopped waiting; nothing further was changed. To carry on:',
    `  kubectl rollout status deployment/${name} -n ${namespace}     # keep waiting`,
    `  kubefresh doctor deployment/${name} -n ${namespace}           # check the digests`,
    `  kubefresh rollback deployment/${name} -n ${namespace}         # go back to the previous revision`,
    '',
  ].join('\n');
}

/** `kubefresh restart deployment/NAME`: rollout restart, then every pod's digest before and after. */
export function restartCommand(context: CommandContext): Command {
  const command = new Command('restart')
    .description('rollout restart a deployment, then show each pod’s digest before and after')
    .argument('<workload>', 'deployment/NAME');
  addRolloutFlags(command);
  command
    .addHelpText(
      'after',
      `
Sets kubectl.kubernetes.io/restartedAt on the pod template (as kubectl rollout restart), waits for
the new pods, and shows the digest each pod ran before and runs after. A restart re-pulls only with
imagePullPolicy Always: with a tag and IfNotPresent each node reuses its cached image, so new code
pushed under the same tag is not picked up. kubefresh warns about that before and after, with the
fix (pin by digest, or imagePullPolicy Always), and when pods came back on different digests.
Exit codes: 0 restarted and verified, 1 restarted with warnings, 3 the rollout failed, 130 Ctrl-C.
${examples([
  ['Restart web and compare digests', 'kubefresh restart deployment/web -n shop'],
  ['Machine-readable events, one per line', 'kubefresh restart deploy/web -o jsonl'],
])}`,
    )
    .action(async (target: string, flags: RolloutFlags, self: Command) => {
      const name = deploymentName(target, 'restart');
      const { io } = context;
      const c = context.colors(self);
      const deps = await connect(flags, context);
      const namespace = flags.namespace ?? deps.kube.defaultNamespace;
      const { restartDeployment } = await import('../../pipeline/restart/index.js');
      const result = await restartDeployment(
        {
          kube: deps.kube,
          registry: deps.registry,
          events: eventPrinter(io, flags.output, c, context.globals(self).quiet),
        },
        {
          namespace,
          name,
          ...(io.signal === undefined ? {} : { signal: io.signal }),
          timeoutMs: flags.rolloutTimeout,
        },
      );
      if (flags.output === 'json')
        io.stdout.write(`${redact(JSON.stringify(restartJson(result, namespace, name), null, 2))}\n`);
      else if (flags.output === 'jsonl')
        io.stdout.write(
          `${redact(JSON.stringify({ type: 'result', ...restartJson(result, namespace, name) }))}\n`,
        );
      else io.stdout.write(renderRestartText(result, name, c));
      if (result.outcome === 'interrupted') {
        io.stderr.write(resumeLines(namespace, name));
        context.setExitCode(EXIT_CODES.INTERRUPTED);
      } else if (result.outcome !== 'restarted') context.setExitCode(EXIT_CODES.RUNTIME);
      else context.setExitCode(result.warnings.length > 0 ? EXIT_CODES.FINDINGS : EXIT_CODES.OK);
    });
  return command;
}
