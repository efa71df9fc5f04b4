import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKubefresh } from '../support/cli.js';

/** No input size or shape gives "this is a bug": big and deep inputs are findings or clear errors. */
describe('big and deep inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubefresh-big-'));

  it('a 3,000-deep flow sequence is a YAML finding for lint and a failed check for pin', async () => {
    writeFileSync(join(dir, 'deep.yaml'), `a: ${'['.repeat(3000)}${']'.repeat(3000)}\n`);
    const lint = await runKubefresh(['lint', 'deep.yaml'], { cwd: dir });
    expect(lint.code).toBe(1);
    expect(lint.stdout).toMatch(/deep\.yaml:1:\d+ +error +YAML001/);
    const check = await runKubefresh(['pin', '--check', 'deep.yaml'], { cwd: dir });
    expect(check.code).toBe(3);
    expect(check.stderr).toContain('deep.yaml:1:');
    for (const out of [lint, check]) expect(out.stderr).not.toContain('this is a bug');
  });

  it('a List of 40,000 Pods (120,000 findings) is linted in full', async () => {
    const items = Array.from(
      { length: 40_000 },
      (_, i) =>
        `- {apiVersion: v1, kind: Pod, metadata: {name: p${i}}, spec: {containers: [{name: c, image: "nginx:latest"}]}}\n`,
    );
    writeFileSync(join(dir, 'list.yaml'), `apiVersion: v1\nkind: List\nitems:\n${items.join('')}`);
    const result = await runKubefresh(['lint', 'list.yaml', '-o', 'json'], { cwd: dir });
    expect(result.stderr).not.toContain('this is a bug');
    const report = JSON.parse(result.stdout);
    expect(report.summary.containers).toBe(40_000);
    expect(report.findings.length).toBeGreaterThanOrEqual(80_000);
  }, 60_000);
});
