import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { digestCommand } from './digest.js';
import { doctorCommand } from './doctor.js';
import { lintCommand } from './lint.js';
import { nodesCommand } from './nodes.js';
import { pinCommand } from './pin.js';
import { refCommand } from './ref.js';
import { simCommand } from './sim.js';

/** Every verb, in the order `kubefresh --help` lists them. */
export const COMMANDS: ReadonlyArray<(context: CommandContext) => Command> = [
  lintCommand,
  refCommand,
  digestCommand,
  doctorCommand,
  nodesCommand,
  pinCommand,
  simCommand,
];
