import type { ContainerContext } from '../rule.js';

/** Commands that fix an unpinned image: resolve its digest, or pin the whole file. */
export function pinCommands(context: ContainerContext): string[] {
  const commands: string[] = [];
  if (context.image !== undefined) commands.push(`kubefresh digest ${shellQuote(context.image)}`);
  if (context.file !== '-' && context.file !== '<stdin>')
    commands.push(`kubefresh pin ${shellQuote(context.file)}`);
  return commands;
}

/** Quotes for a POSIX shell only when needed. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** `"app" (containers[0])` or `containers[0]`: how messages name a container. */
export function containerLabel(context: ContainerContext): string {
  const { container } = context;
  return container.name === undefined ? `${container.group}[${container.index}]` : `"${container.name}"`;
}
