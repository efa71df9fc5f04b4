import type { Finding, Severity } from '../findings/index.js';
import { CODE_INFO, type Verdict } from './codes.js';

/** One workload's line in doctor's table: its worst verdict and its findings. */
export interface WorkloadReport {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
}

/** Which verdict wins when a workload has several: the worst first. */
const VERDICT_ORDER: readonly Verdict[] = ['failing', 'stale', 'unverified', 'risk', 'progressing', 'ok'];

export function verdictOf(code: string): Verdict {
  return (CODE_INFO as Record<string, { verdict: Verdict }>)[code]?.verdict ?? 'failing';
}

/**
 * Groups findings by workload (in first-seen order) with each workload's worst verdict; workloads
 * listed in `subjects` without findings count as ok.
 */
export function groupByWorkload(
  findings: readonly Finding[],
  subjects: readonly { kind: string; namespace?: string; name: string }[] = [],
): WorkloadReport[] {
  const groups = new Map<string, { kind: string; namespace?: string; name: string; findings: Finding[] }>();
  const keyOf = (s: { kind: string; namespace?: string; name: string }) =>
    `${s.kind}/${s.namespace ?? ''}/${s.name}`;
  for (const subject of subjects) {
    groups.set(keyOf(subject), { ...subject, findings: [] });
  }
  for (const finding of findings) {
    const key = keyOf(finding.subject);
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        kind: finding.subject.kind,
        ...(finding.subject.namespace === undefined ? {} : { namespace: finding.subject.namespace }),
        name: finding.subject.name,
        findings: [],
      };
      groups.set(key, group);
    }
    group.findings.push(finding);
  }
  return [...groups.values()].map((group) => {
    const verdicts = group.findings.map((f) => verdictOf(f.code));
    const verdict = VERDICT_ORDER.find((v) => verdicts.includes(v)) ?? 'ok';
    return { ...group, verdict };
  });
}

/** `12 workloads: 9 ok, 2 stale, 1 failing` (verdicts with zero are left out, ok always shown). */
export function summaryLine(workloads: readonly WorkloadReport[]): string {
  const counts = new Map<Verdict, number>();
  for (const w of workloads) counts.set(w.verdict, (counts.get(w.verdict) ?? 0) + 1);
  const parts = [`${counts.get('ok') ?? 0} ok`];
  for (const verdict of ['stale', 'failing', 'unverified', 'risk', 'progressing'] as const) {
    const n = counts.get(verdict);
    if (n) parts.push(`${n} ${verdict === 'risk' ? 'at risk' : verdict}`);
  }
  return `${workloads.length} workload${workloads.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** The worst severity among findings, or undefined when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  for (const severity of ['error', 'warning', 'info'] as const)
    if (findings.some((f) => f.severity === severity)) return severity;
  return undefined;
}
