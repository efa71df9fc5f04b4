import type { Command } from 'commander';
import type { CliIO } from './io.js';
import { type Colors, colorsFor } from './render/colors.js';

/** Options every verb accepts, resolved once from flags and environment. */
export interface GlobalOptions {
  readonly color: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
}

/** What a command's action receives besides its own options. */
export interface CommandContext {
  readonly io: CliIO;
  /** Reads the global flags as they apply to `command` (they may stand before or after the verb). */
  globals(command: Command): GlobalOptions;
  colors(command: Command): Colors;
  /** Records the exit code the process ends with. */
  setExitCode(code: number): void;
}

export function createContext(io: CliIO, setExitCode: (code: number) => void): CommandContext {
  const globals = (command: Command): GlobalOptions => {
    const all = command.optsWithGlobals() as { color?: boolean; quiet?: boolean; verbose?: boolean };
    const noColorEnv = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
    return {
      color: all.color !== false && !noColorEnv && (io.stdoutIsTTY || io.env.FORCE_COLOR === '1'),
      quiet: all.quiet === true,
      verbose: all.verbose === true,
    };
  };
  return {
    io,
    globals,
    colors: (command) => colorsFor(globals(command).color),
    setExitCode,
  };
}
