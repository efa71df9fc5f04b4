import { Command, InvalidArgumentError, Option } from 'commander';
import { shortDigest } from '../../core/diagnose/index.js';
import { EXIT_CODES, redact } from '../../errors/index.js';
import type { RollbackOutcome } from '../../pipeline/rollback/index.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import type { Colors } from '../render/colors.js';
import { writeResult } from '../render/result.js';
import { addRolloutFlags, podLines, type RolloutFlags, resumeLines, rolloutSetup } from '../rollout-verbs.js';

interface RollbackFlags extends RolloutFlags {
  readonly toRevision: number;
  readonly allowMovedTag?: boolean;
}

/** The text summary: what each container ran then, what its tag names now, and the verdict. */
export function renderRollbackText(result: RollbackOutcome, name: string, c: Colors): string {
  const lines: string[] = [];
  for (const container of result.containers) {
    const ran =
      container.ran === undefined
        ? c.yellow('unknown')
        : `${shortDigest(container.ran.digest)} (${container.ran.source})`;
    const now =
      container.now === undefined
        ? 'pinned'
        : 'digest' in container.now
          ? shortDigest(container.now.digest)
          : `registry error: ${container.now.error}`;
    lines.push(`${c.bold(container.name)}  ${container.image}`);
    lines.push(
      `    revision ${result.revision} ran ${ran}; tag now ${now}${container.moved ? c.yellow(' (moved)') : ''}`,
    );
    if (container.verification !== undefined) {
      const mark = container.verification.ok ? c.green('✓') : c.red('✗');
      lines.push(`    ${mark} ${container.verification.message}`);
      for (const problem of container.verification.problems.slice(1)) lines.push(`      ${problem}`);
    }
    if (container.after.length > 0) lines.push(...podLines(container.after, c));
  }
  for (const warning of result.warnings) lines.push(`${c.yellow('!')} ${warning}`);
  const title = `deployment.apps/${name}`;
  switch (result.outcome) {
    case 'skipped':
      lines.push(`${title} ${result.message}`);
      break;
    case 'rolled-back':
      lines.push(
        c.green(
          `${title} rolled back to revision ${result.revision} (now revision ${result.newRevision}), every pod verified`,
        ),
      );
      break;
    case 'unverified':
      lines.push(
        c.red(
          `${title} rolled back to revision ${result.revision}, but not every pod runs the expected digest`,
        ),
      );
      break;
    default:
      lines.push(c.red(`${title} rolled back, then: ${result.reason?.message ?? result.outcome}`));
  }
  return `${redact(lines.join('\n'))}\n`;
}

/** `rollback -o json`. */
export function rollbackJson(
  result: RollbackOutcome,
  namespace: string,
  name: string,
): Record<string, unknown> {
  const { wait: _wait, ...rest } = result;
  return { kind: 'kubefresh.rollback', namespace, name, ...rest };
}

function revisionNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError(`expected a revision number such as 2, got ${JSON.stringify(value)}`);
  return n;
}

/** `kubefresh rollback deployment/NAME [--to-revision N]`: undo, wait, verify the digests. */
export function rollbackCommand(context: CommandContext): Command {
  const command = new Command('rollback')
    .description('roll a deployment back as kubectl rollout undo does, then verify the digests it runs')
    .argument('<workload>', 'deployment/NAME')
    .addOption(
      new Option('--to-revision <n>', 'the revision to roll back to (0: the previous one)')
        .argParser(revisionNumber)
        .default(0),
    )
    .option('--allow-moved-tag', 'roll back even when the revision’s tag now names different content');
  addRolloutFlags(command);
  command
    .addHelpText(
      'after',
      `
Picks the revision as kubectl rollout undo does (the previous one, or --to-revision), and before
changing anything checks each image that names a tag: the digest that revision ran (pinned, from
its remaining pods, or recorded by kubefresh when it verified it) against what the tag names in the
registry now. If the tag moved, the rollback would bring back the old text but new code, so it is
refused with both digests; --allow-moved-tag rolls back anyway. After the undo it waits and proves
every pod runs the expected digest.
Exit codes: 0 rolled back (or nothing to do) and verified, 1 rolled back but not verified,
3 refused or the rollout failed, 130 Ctrl-C.
${examples([
  ['Back to the previous revision', 'kubefresh rollback deployment/web -n shop'],
  ['Back to revision 3, listed by kubefresh history', 'kubefresh rollback deployment/web --to-revision 3'],
])}`,
    )
    .action(async (target: string, flags: RollbackFlags, self: Command) => {
      const { io } = context;
      const { name, namespace, c, deps, stop } = await rolloutSetup(target, 'rollback', flags, context, self);
      const { rollbackDeployment } = await import('../../pipeline/rollback/index.js');
      const result = await rollbackDeployment(deps, {
        namespace,
        name,
        toRevision: flags.toRevision,
        allowMovedTag: flags.allowMovedTag === true,
        ...stop,
        timeoutMs: flags.rolloutTimeout,
      });
      const doc = rollbackJson(result, namespace, name);
      writeResult(io.stdout, flags.output, doc, () => renderRollbackText(result, name, c));
      switch (result.outcome) {
        case 'rolled-back':
        case 'skipped':
          context.setExitCode(EXIT_CODES.OK);
          break;
        case 'unverified':
          context.setExitCode(EXIT_CODES.FINDINGS);
          break;
        case 'interrupted':
          io.stderr.write(resumeLines(namespace, name));
          context.setExitCode(EXIT_CODES.INTERRUPTED);
          break;
        default:
          context.setExitCode(EXIT_CODES.RUNTIME);
      }
    });
  return command;
}
