import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCTOR_CODES, doctorCodesMarkdown } from '../../../src/core/diagnose/index.js';

describe('docs/doctor-codes.md', () => {
  it('is up to date with the code table (regenerate: npx tsx scripts/doctor-codes.ts)', () => {
    const file = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'doctor-codes.md'), 'utf8');
    expect(file).toBe(doctorCodesMarkdown());
  });

  it('documents every code', () => {
    const text = doctorCodesMarkdown();
    for (const code of DOCTOR_CODES) expect(text).toContain(`## \`${code}\``);
  });
});
