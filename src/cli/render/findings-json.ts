import type { Finding } from '../../core/findings/index.js';
import { redact } from '../../errors/index.js';
import { countBySeverity } from './findings-text.js';

/** The version of the JSON output documents (docs/lint-json.md). Raised only for breaking changes. */
export const FINDINGS_JSON_SCHEMA_VERSION = 1;

/** An error that stopped part of the work (an unreadable file), as JSON shows it. */
export interface JsonError {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly file?: string;
}

/**
 * Findings as one JSON document: `{schemaVersion, kind, tool, summary, findings, errors}`.
 * `kind` names the producing verb (`kubefresh.lint`, later `kubefresh.doctor`); `summary` carries
 * verb-specific counts next to the severity counts. Generic over {@link Finding}.
 */
export function renderFindingsJson(options: {
  readonly kind: string;
  readonly version: string;
  readonly findings: readonly Finding[];
  readonly summary?: Readonly<Record<string, unknown>>;
  readonly errors?: readonly JsonError[];
}): string {
  const document = {
    schemaVersion: FINDINGS_JSON_SCHEMA_VERSION,
    kind: options.kind,
    tool: { name: 'kubefresh', version: options.version },
    summary: { ...options.summary, findings: countBySeverity(options.findings) },
    findings: options.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      ...(f.location ? { location: f.location } : {}),
      subject: f.subject,
      evidence: f.evidence,
      remedy: f.remedy,
    })),
    errors: options.errors ?? [],
  };
  return `${redact(JSON.stringify(document, null, 2))}\n`;
}
