import { Command, CommanderError } from 'commander';
import { EXIT_CODES } from '../errors/index.js';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import { type CommandContext, createContext } from './context.js';
import type { CliIO } from './io.js';
import { renderError } from './render/error.js';

/**
 * Runs the kubefresh command line with `argv` (without `node` and the script) and returns the exit
 * code. Never throws and never calls `process.exit`, so tests run it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT_CODES.OK;
  const context = createContext(io, (code) => {
    exitCode = code;
  });
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err, io);
    const verbose = argv.includes('-v') || argv.includes('--verbose');
    const rendered = renderError(err, { verbose });
    io.stderr.write(rendered.text);
    return rendered.exitCode;
  }
}

function commanderExit(err: CommanderError, io: CliIO): number {
  // Help and version requests end with exit code 0; everything else commander rejects is usage.
  if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
    return EXIT_CODES.OK;
  }
  if (err.code === 'commander.help') return EXIT_CODES.USAGE;
  io.stderr.write("hint: run 'kubefresh --help' or 'kubefresh <command> --help' for usage\n");
  return EXIT_CODES.USAGE;
}

function buildProgram(context: CommandContext): Command {
  const program = new Command('kubefresh')
    .description(
      'Make "what you deployed is what actually runs" visible, enforced and automatic on Kubernetes.',
    )
    .version(VERSION, '--version', 'print the kubefresh version')
    .option('--no-color', 'disable coloured output (also NO_COLOR=1)')
    .option('-q, --quiet', 'print only results and errors')
    .option('-v, --verbose', 'print more detail, including error causes')
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    })
    .exitOverride();
  program.addHelpText(
    'after',
    `
Exit codes:
  0  success
  1  findings at or above --fail-on
  2  usage error (unknown flag, bad value)
  3  runtime error (unreadable input, registry or cluster failure)
  4  deploy failed and was rolled back (verified)
  5  deploy failed and could not be rolled back

Run 'kubefresh <command> --help' for a command's flags and examples.
`,
  );
  for (const register of COMMANDS) {
    const command = register(context);
    command.exitOverride().configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    });
    program.addCommand(command);
  }
  return program;
}
