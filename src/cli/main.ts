import { Command, CommanderError } from 'commander';
import { EXIT_CODES } from '../errors/index.js';
import { VERSION } from '../version.js';
import { VERBS } from './commands/index.js';
import { type CommandContext, createContext } from './context.js';
import type { CliIO } from './io.js';
import { renderError } from './render/error.js';
import { TerminalSink } from './render/terminal-sink.js';

/**
 * Runs the kubefresh command line with `argv` (without `node` and the script) and returns the exit
 * code. Never throws and never calls `process.exit`, so tests run it in-process.
 */
export async function runCli(argv: readonly string[], processIo: CliIO): Promise<number> {
  // Everything printed passes one filter; verbs write data (JSON, a pinned file) through `writeData`.
  const io: CliIO = {
    stdout: new TerminalSink(processIo.stdout),
    stderr: new TerminalSink(processIo.stderr),
    // A getter, as in processIO: touching process.stdin sets up a stream only verbs reading `-` need.
    get stdin() {
      return processIo.stdin;
    },
    env: processIo.env,
    cwd: processIo.cwd,
    stdoutIsTTY: processIo.stdoutIsTTY,
    ...(processIo.signal ? { signal: processIo.signal } : {}),
    ...(processIo.entry ? { entry: processIo.entry } : {}),
  };
  let exitCode: number = EXIT_CODES.OK;
  const context = createContext(io, (code) => {
    exitCode = code;
  });
  try {
    const program = await buildProgram(context, argv);
    const run = program.parseAsync([...argv], { from: 'user' });
    const verb = argv.find((arg) => !arg.startsWith('-'));
    // Verbs that stop on their own report what they left and how to resume; the others stop at
    // once on the first Ctrl-C, even while waiting on stdin or a registry.
    if (io.signal === undefined || STOP_ON_THEIR_OWN.has(verb ?? '')) await run;
    else {
      const interrupted = await Promise.race([run.then(() => false), aborted(io.signal)]);
      if (interrupted) {
        run.catch(() => undefined);
        io.stderr.write('interrupted\n');
        return EXIT_CODES.INTERRUPTED;
      }
    }
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err, io);
    const verbose = argv.includes('-v') || argv.includes('--verbose');
    const rendered = renderError(err, { verbose });
    io.stderr.write(rendered.text);
    return rendered.exitCode;
  }
}

/** Verbs that watch the interrupt signal themselves (a transaction or a server to wind down). */
const STOP_ON_THEIR_OWN: ReadonlySet<string> = new Set(['deploy', 'restart', 'rollback', 'sim', 'demo']);

function aborted(signal: AbortSignal): Promise<true> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(true);
    else signal.addEventListener('abort', () => resolve(true), { once: true });
  });
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

async function buildProgram(context: CommandContext, argv: readonly string[]): Promise<Command> {
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
  6  deploy was superseded by another change to the same workload (not verified, not undone)

Run 'kubefresh <command> --help' for a command's flags and examples.
`,
  );
  // Load only the verb being run; help, unknown verbs and no verb at all need the whole list.
  const verb = argv.find((arg) => !arg.startsWith('-'));
  const chosen = VERBS.filter((entry) => entry.name === verb);
  const registrations = await Promise.all((chosen.length > 0 ? chosen : VERBS).map((entry) => entry.load()));
  for (const register of registrations) {
    const command = register(context);
    command.exitOverride().configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    });
    program.addCommand(command);
  }
  return program;
}
