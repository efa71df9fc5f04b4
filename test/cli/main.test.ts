import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { runKubefresh } from '../support/cli.js';

describe('kubefresh command line', () => {
  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
    const result = await runKubefresh(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('lists the verbs and the exit-code table in --help', async () => {
    const result = await runKubefresh(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('lint');
    expect(result.stdout).toMatch(/Exit codes:\n\s+0\s+success/);
  });

  it('exits 2 with a hint on an unknown flag, without a stack trace', async () => {
    const result = await runKubefresh(['--bogus-flag']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--bogus-flag'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an unknown command', async () => {
    const result = await runKubefresh(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});
