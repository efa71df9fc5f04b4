import { shellCommand } from '../../shell/index.js';
import type { ContainerContext } from '../rule.js';

/** Commands that fix an unpinned image: resolve its digest, or pin the whole file. */
export function pinCommands(context: ContainerContext): string[] {
  const commands: string[] = [];
  if (context.image !== undefined) commands.push(shellCommand(['kubefresh', 'digest', context.image]));
  if (context.file !== '-' && context.file !== '<stdin>')
    commands.push(shellCommand(['kubefresh', 'pin', context.file]));
  return commands;
}

/** `"app" (containers[0])` or `containers[0]`: how messages name a container. */
export function containerLabel(context: ContainerContext): string {
  const { container } = context;
  return container.name === undefined ? `${container.group}[${container.index}]` : `"${container.name}"`;
}
