/** How much a finding matters; `--fail-on` compares against this order. */
export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

/** What a finding is about: a manifest object (lint) or a live workload, pod and node (doctor). */
export interface FindingSubject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly container?: string;
  readonly pod?: string;
  readonly node?: string;
}

/** Where in an input file a finding points (1-based line and column). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

/** A fix: one sentence, and the exact commands (or snippet) to run. */
export interface Remedy {
  readonly text: string;
  readonly commands: readonly string[];
}

/**
 * One observation that `lint` or `doctor` reports. Codes are stable strings (`IMG003`,
 * `STALE_TAG_MOVED`, …); the renderers (text, JSON, SARIF) are shared by both verbs.
 */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly subject: FindingSubject;
  readonly message: string;
  readonly location?: SourceLocation;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly remedy: Remedy;
}

/** True when `severity` is at or above the `--fail-on` threshold (`none` never fails). */
export function meetsThreshold(severity: Severity, failOn: Severity | 'none'): boolean {
  return failOn !== 'none' && SEVERITY_ORDER[severity] >= SEVERITY_ORDER[failOn];
}
