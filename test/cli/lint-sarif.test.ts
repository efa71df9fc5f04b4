import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { runKubefresh } from '../support/cli.js';

// The SARIF 2.1.0 JSON schema as Microsoft's SARIF SDK ships it (sarif-2.1.0-rtm.5, draft-04), from
// @microsoft/jest-sarif: the newest copy of the official schema that an npm package carries.
const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
// A CommonJS module whose class is also its `default` export; NodeNext types see only the latter.
const Ajv = ((AjvDraft04 as unknown as { default?: typeof AjvDraft04 }).default ??
  AjvDraft04) as unknown as new (
  options: Record<string, unknown>,
) => { compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown } };

function validator() {
  // unicodeRegExp off: the schema's language pattern has a stray `]` that only non-unicode regexps accept.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
  return ajv.compile(schema);
}

describe('kubefresh lint -o sarif', () => {
  it('validates against the SARIF 2.1.0 schema, with rule metadata and physical locations', async () => {
    const result = await runKubefresh(['lint', '-o', 'sarif', 'examples/']);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    const validate = validator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);

    const run = log.runs[0];
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'IMG003');
    expect(rule).toMatchObject({
      id: 'IMG003',
      name: 'moving-tag-if-not-present',
      shortDescription: {
        text: 'Moving tag with an effective pull policy of IfNotPresent: the stale-image trap',
      },
      defaultConfiguration: { level: 'error' },
    });
    expect(rule.fullDescription.text).toContain(
      'IfNotPresent the kubelet uses whatever image a node already has',
    );
    expect(rule.help.text).toContain('Pin the image by digest');

    const result003 = run.results.find((r: { ruleId: string }) => r.ruleId === 'IMG003');
    expect(result003).toMatchObject({
      level: 'error',
      ruleIndex: run.tool.driver.rules.indexOf(rule),
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'examples/k8s/web.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 18, startColumn: 18 },
          },
        },
      ],
    });
    const info = run.results.find((r: { ruleId: string }) => r.ruleId === 'IMG005');
    expect(info.level).toBe('note');
  });

  it('stays valid with unreadable inputs (as tool notifications) and odd file names', async () => {
    const result = await runKubefresh(['lint', '-o', 'sarif', 'missing dir/x.yaml', '-'], {
      stdin: 'kind: [',
    });
    expect(result.code).toBe(3);
    const log = JSON.parse(result.stdout);
    const validate = validator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.runs[0].invocations[0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [
        { level: 'error', message: { text: 'cannot read "missing dir/x.yaml": no such file or directory' } },
      ],
    });
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('stdin');
  });

  it('the schema check itself rejects a broken log', () => {
    const validate = validator();
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });
});
