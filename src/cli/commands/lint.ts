import { Command } from 'commander';
import { KubefreshError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';

// Placeholder: being implemented. Replaced wholesale by the real command.
export function lintCommand(_context: CommandContext): Command {
  return new Command('lint').description('(in development)').action(() => {
    throw new KubefreshError('INTERNAL_NOT_IMPLEMENTED', 'kubefresh lint is not implemented yet');
  });
}
