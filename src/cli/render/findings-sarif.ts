import { isAbsolute, relative, sep } from 'node:path';
import type { Finding, Severity } from '../../core/findings/index.js';
import { redact } from '../../errors/index.js';

/** What SARIF consumers (GitHub code scanning) show about a rule. */
export interface SarifRule {
  readonly id: string;
  /** kebab-case name. */
  readonly name: string;
  readonly shortDescription: string;
  readonly fullDescription: string;
  /** How to fix, shown as the rule's help. */
  readonly help: string;
  readonly defaultLevel: Severity;
  readonly helpUri?: string;
}

export interface SarifOptions {
  readonly rules: readonly SarifRule[];
  readonly toolName: string;
  readonly version: string;
  /** A page about the tool, when it has a public one. */
  readonly informationUri?: string;
  /** File locations are written relative to this directory (GitHub resolves them against the repository root). */
  readonly baseDir: string;
  /** Errors that kept some input from being checked, reported as tool notifications. */
  readonly notifications?: readonly { readonly message: string; readonly file?: string }[];
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * Findings as a SARIF 2.1.0 log with one run: the rules' metadata (id, name, descriptions, help,
 * default level) and one result per finding with its physical location (a relative URI and a
 * 1-based region). Generic over {@link Finding}; codes without rule metadata still get a rule entry.
 */
export function renderSarif(findings: readonly Finding[], options: SarifOptions): string {
  const rules = [...options.rules];
  for (const f of findings) {
    if (!rules.some((r) => r.id === f.code)) {
      rules.push({
        id: f.code,
        name: f.code.toLowerCase(),
        shortDescription: f.code,
        fullDescription: f.code,
        help: f.remedy.text,
        defaultLevel: f.severity,
      });
    }
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: options.toolName,
            version: options.version,
            semanticVersion: options.version,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.shortDescription },
              fullDescription: { text: r.fullDescription },
              help: { text: r.help, markdown: r.help },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              defaultConfiguration: { level: LEVEL[r.defaultLevel] },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: (options.notifications ?? []).length === 0,
            toolExecutionNotifications: (options.notifications ?? []).map((n) => ({
              level: 'error',
              message: { text: n.message },
              ...(n.file
                ? {
                    locations: [
                      { physicalLocation: { artifactLocation: { uri: toUri(n.file, options.baseDir) } } },
                    ],
                  }
                : {}),
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code)!,
          level: LEVEL[f.severity],
          message: { text: `${f.message}. Fix: ${f.remedy.text}` },
          ...(f.location
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: {
                        uri: toUri(f.location.file, options.baseDir),
                        uriBaseId: '%SRCROOT%',
                      },
                      region: { startLine: f.location.line, startColumn: f.location.column },
                    },
                  },
                ],
              }
            : {}),
          properties: { subject: f.subject },
        })),
      },
    ],
  };
  return `${redact(JSON.stringify(log, null, 2))}\n`;
}

/** A relative, forward-slash, percent-encoded URI for a file (`k8s/web app.yaml` → `k8s/web%20app.yaml`). */
function toUri(file: string, baseDir: string): string {
  if (file === '<stdin>') return 'stdin';
  const rel = isAbsolute(file) ? relative(baseDir, file) : file;
  return encodeURI(rel.split(sep).join('/'));
}
