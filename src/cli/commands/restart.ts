import { Command } from 'commander';
import { shortDigest } from '../../core/diagnose/index.js';
import { EXIT_CODES, redact } from '../../errors/index.js';
import type { RestartResult } from '../../pipeline/restart/index.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import type { Colors } from '../render/colors.js';
import { writeResult } from '../render/result.js';
import {
  addRolloutFlags,
  podLines,
  type RolloutFlags,
  resumeLines,
  rolloutSetup,
  warningLines,
} from '../rollout-verbs.js';

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
      const { io } = context;
      const { name, namespace, c, deps, stop } = await rolloutSetup(target, 'restart', flags, context, self);
      const { restartDeployment } = await import('../../pipeline/restart/index.js');
      const result = await restartDeployment(deps, {
        namespace,
        name,
        ...stop,
        timeoutMs: flags.rolloutTimeout,
      });
      writeResult(io.stdout, flags.output, restartJson(result, namespace, name), () =>
        renderRestartText(result, name, c),
      );
      if (result.outcome === 'interrupted') {
        io.stderr.write(resumeLines(namespace, name));
        context.setExitCode(EXIT_CODES.INTERRUPTED);
      } else if (result.outcome !== 'restarted') context.setExitCode(EXIT_CODES.RUNTIME);
      else context.setExitCode(result.warnings.length > 0 ? EXIT_CODES.FINDINGS : EXIT_CODES.OK);
    });
  return command;
}
