import { Command } from 'commander';
import { KubefreshError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';

// Placeholder: being implemented. Replaced wholesale by the real command.
export function refCommand(_context: CommandContext): Command {
  return new Command('ref').description('(in development)').action(() => {
    throw new KubefreshError('INTERNAL_NOT_IMPLEMENTED', 'kubefresh ref is not implemented yet');
  });
}
