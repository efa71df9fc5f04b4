import { Command } from 'commander';
import { KubefreshError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';

// Placeholder: being implemented. Replaced wholesale by the real command.
export function simCommand(_context: CommandContext): Command {
  return new Command('sim').description('(in development)').action(() => {
    throw new KubefreshError('INTERNAL_NOT_IMPLEMENTED', 'kubefresh sim is not implemented yet');
  });
}
