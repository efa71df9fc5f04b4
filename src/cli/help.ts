/** Formats a verb's examples for `--help`, kubectl style: a `# comment` line, then the command. */
export function examples(items: ReadonlyArray<readonly [comment: string, command: string]>): string {
  const body = items.map(([comment, command]) => `  # ${comment}\n  ${command}`).join('\n\n');
  return `\nExamples:\n${body}\n`;
}
