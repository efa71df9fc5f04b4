/**
 * `kubefresh doctor`'s table: one block per workload with a coloured verdict, each finding, and one
 * fix line; `-o wide` adds a line per pod (node, digest, age). Also used by `kubefresh demo`.
 */
import type { Verdict, WorkloadReport } from '../../core/diagnose/index.js';
import type { Finding, Severity } from '../../core/findings/index.js';
import { redact } from '../../errors/index.js';
import type { DoctorReport } from '../../pipeline/doctor/index.js';
import type { Colors } from './colors.js';

const VERDICT_STYLE: Readonly<
  Record<Verdict, { mark: string; paint: (c: Colors) => (s: string) => string }>
> = {
  ok: { mark: '✓', paint: (c) => c.green },
  stale: { mark: '✗', paint: (c) => (s) => c.bold(c.red(s)) },
  failing: { mark: '✗', paint: (c) => (s) => c.bold(c.red(s)) },
  unverified: { mark: '?', paint: (c) => c.yellow },
  risk: { mark: '!', paint: (c) => c.yellow },
  progressing: { mark: '…', paint: (c) => c.cyan },
};

function workloadTitle(w: WorkloadReport): string {
  return `${w.kind.toLowerCase()}/${w.name}${w.namespace === undefined ? '' : ` -n ${w.namespace}`}`;
}

function fixLines(finding: Finding, c: Colors): string[] {
  const command = finding.remedy.commands[0];
  if (command === undefined)
    return finding.code.startsWith('OK_') ? [] : [`      ${c.green('fix:')} ${finding.remedy.text}`];
  const [first, ...rest] = command.split('\n');
  return [`      ${c.green('fix:')} ${c.dim('$')} ${first}`, ...rest.map((line) => `           ${line}`)];
}

function age(since: string | undefined, now: number): string {
  if (since === undefined) return '-';
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** The table: one block per workload with its verdict, then each finding with one fix line. */
export function renderDoctorText(
  report: DoctorReport,
  c: Colors,
  options: { wide: boolean; now: number },
): string {
  const lines: string[] = [];
  const created = new Map(
    report.snapshot.pods.map((p) => [
      p.metadata?.name ?? '',
      (p.metadata as { creationTimestamp?: string } | undefined)?.creationTimestamp,
    ]),
  );
  for (const w of report.workloads) {
    const style = VERDICT_STYLE[w.verdict];
    lines.push(`${style.paint(c)(`${style.mark} ${w.verdict.padEnd(11)}`)} ${c.bold(workloadTitle(w))}`);
    const severityPaint: Record<Severity, (s: string) => string> = {
      error: c.red,
      warning: c.yellow,
      info: c.green,
    };
    let lastFix: string | undefined;
    for (const f of w.findings) {
      const container = f.subject.container === undefined ? '' : `${f.subject.container}  `;
      lines.push(`    ${container}${severityPaint[f.severity](f.code)}  ${f.message}`);
      // The same command twice in a row (a pin fixes a stale tag and its policy risk) is said once.
      const fix = f.remedy.commands[0];
      if (fix === undefined || fix !== lastFix) lines.push(...fixLines(f, c));
      lastFix = fix;
      if (options.wide) {
        for (const pod of (f.evidence.pods as
          | { pod: string; node: string | null; digest?: string | null; match?: string | null }[]
          | undefined) ?? []) {
          const digest =
            pod.digest === undefined ? '' : `  ${pod.digest ?? '-'}${pod.match ? ` (${pod.match})` : ''}`;
          lines.push(
            c.dim(
              `      pod ${pod.pod}  node ${pod.node ?? '-'}${digest}  age ${age(created.get(pod.pod), options.now)}`,
            ),
          );
        }
      }
    }
  }
  for (const hint of report.hints) lines.push(c.yellow(`hint: ${hint}`));
  lines.push(report.workloads.length === 0 ? 'no workloads found in scope' : report.summary);
  return `${redact(lines.join('\n'))}\n`;
}

/** `doctor -o json`: `{schemaVersion, kind, tool, context, summary, workloads, findings, hints}` (docs/doctor-json.md). */
