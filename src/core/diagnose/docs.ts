import { PULL_ERROR_SUBSTRINGS, WAITING_REASONS } from './classify.js';
import { CODE_INFO, DOCTOR_CODES } from './codes.js';

/** docs/doctor-codes.md, generated from the code and classify tables (`npx tsx scripts/doctor-codes.ts`). */
export function doctorCodesMarkdown(): string {
  const lines = [
    '# `kubefresh doctor` codes',
    '',
    '<!-- Generated from src/core/diagnose/codes.ts and classify.ts by `npx tsx scripts/doctor-codes.ts`; do not edit. -->',
    '',
    'Every verdict doctor prints has one of these stable codes. Severities decide `--fail-on`:',
    '`error` findings fail `--fail-on error` (the default), `warning` ones fail `--fail-on warning`.',
    '',
    '| Code | Severity | Counts as | Meaning |',
    '|---|---|---|---|',
    ...DOCTOR_CODES.map((code) => {
      const info = CODE_INFO[code];
      return `| \`${code}\` | ${info.severity} | ${info.verdict} | ${info.title} |`;
    }),
    '',
  ];
  for (const code of DOCTOR_CODES) {
    const info = CODE_INFO[code];
    lines.push(
      `## \`${code}\``,
      '',
      `${info.title[0]!.toUpperCase()}${info.title.slice(1)}.`,
      '',
      info.explanation,
      '',
      `Remedy: ${info.remedy}.`,
      '',
    );
  }
  lines.push(
    '## How failures are classified',
    '',
    'Container waiting reasons:',
    '',
    '| Waiting reason | Code |',
    '|---|---|',
    ...Object.entries(WAITING_REASONS).map(
      ([reason, code]) =>
        `| \`${reason}\` | ${code === 'pull' ? 'by the pull error text, below' : `\`${code}\``} |`,
    ),
    '',
    'Pull errors (the kubelet event `Failed to pull image …` or the waiting message), first matching substring wins:',
    '',
    '| Substring | Code |',
    '|---|---|',
    ...PULL_ERROR_SUBSTRINGS.map(([needle, code]) => `| \`${needle}\` | \`${code}\` |`),
    '',
  );
  return lines.join('\n');
}
