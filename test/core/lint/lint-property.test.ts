import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintManifest, RULE_IDS } from '../../../src/core/lint/index.js';
import { isKubefreshError } from '../../../src/errors/index.js';
import { runKubefresh } from '../../support/cli.js';
import { yamlStream } from '../manifest/yaml-arbitraries.js';

const text = fc.oneof(
  yamlStream,
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describe('lint on generated and garbage YAML', () => {
  it('never throws anything but a KubefreshError, and every finding carries a known rule id and position', () => {
    fc.assert(
      fc.property(text, (input) => {
        try {
          for (const finding of lintManifest('gen.yaml', input)) {
            expect(RULE_IDS).toContain(finding.code);
            expect(finding.location!.line).toBeGreaterThanOrEqual(1);
            expect(finding.location!.column).toBeGreaterThanOrEqual(1);
            expect(finding.message.length).toBeGreaterThan(0);
          }
        } catch (err) {
          expect(isKubefreshError(err)).toBe(true);
          expect((err as { code?: string }).code).toMatch(/^[A-Z]+_[A-Z_]+$/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('the CLI answers generated input with exit 0 or 1 and no stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (input) => {
        const result = await runKubefresh(['lint', '-o', 'json', '--fail-on', 'info', '-'], { stdin: input });
        expect([0, 1]).toContain(result.code);
        expect(result.stderr).toBe('');
        JSON.parse(result.stdout);
      }),
      { numRuns: 200 },
    );
  });
});
