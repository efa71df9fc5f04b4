import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, renderRulesMarkdown } from '../../../src/core/lint/index.js';

describe('docs/rules.md', () => {
  it('is what `npm run docs` generates from the rule table (run it after changing a rule)', () => {
    const onDisk = readFileSync(join(import.meta.dirname, '../../../docs/rules.md'), 'utf8');
    expect(onDisk).toBe(renderRulesMarkdown());
  });

  it('documents every rule with a why and a fix', () => {
    const text = renderRulesMarkdown();
    for (const rule of RULES) {
      expect(text).toContain(`### ${rule.id}: ${rule.title}`);
      expect(rule.why.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(10);
    }
    expect(RULES.filter((r) => r.id.startsWith('IMG')).map((r) => r.id)).toEqual([
      'IMG001',
      'IMG002',
      'IMG003',
      'IMG004',
      'IMG005',
      'IMG006',
      'IMG007',
      'IMG008',
      'IMG009',
      'IMG010',
    ]);
  });
});
