import type { Finding, Severity } from '../../core/findings/index.js';
import type { Colors } from './colors.js';

/**
 * Findings as lines people read: `file:line:col  severity  CODE  message`, then a one-line fix.
 * Findings without a file position (doctor's) name their subject instead. Generic over {@link Finding}.
 */
export function renderFindingsText(findings: readonly Finding[], colors: Colors): string {
  const paint: Record<Severity, (s: string) => string> = {
    error: (s) => colors.bold(colors.red(s)),
    warning: colors.yellow,
    info: colors.cyan,
  };
  const lines: string[] = [];
  for (const f of findings) {
    const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : subjectLabel(f);
    lines.push(
      `${colors.bold(where)}  ${paint[f.severity](f.severity.padEnd(7))}  ${colors.dim(f.code)}  ${f.message}`,
    );
    const command = f.remedy.commands[0];
    lines.push(
      `    ${colors.green('fix:')} ${f.remedy.text}${command ? ` ${colors.dim('$')} ${command}` : ''}`,
    );
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** `Deployment shop/web container app`: how a finding's subject reads. */
export function subjectLabel(f: Finding): string {
  const { subject } = f;
  const name = subject.namespace ? `${subject.namespace}/${subject.name}` : subject.name;
  return [
    `${subject.kind} ${name}`,
    subject.container ? `container ${subject.container}` : '',
    subject.pod ? `pod ${subject.pod}` : '',
    subject.node ? `node ${subject.node}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Counts per severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** `2 errors, 1 warning, 0 info`. */
export function severitySummary(findings: readonly Finding[]): string {
  const c = countBySeverity(findings);
  return `${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info`;
}
