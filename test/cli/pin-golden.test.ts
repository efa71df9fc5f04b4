import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixture, type PinRegistry, startPinRegistry } from '../pipeline/pin/support.js';
import { runKubefresh } from '../support/cli.js';

/**
 * Golden files: test/fixtures/pin/NAME.in.EXT pinned by `kubefresh pin` must print exactly
 * NAME.out.EXT (with the registry address and digests filled in). UPDATE_GOLDEN=1 rewrites the
 * .out files from the current output; review their diff before committing.
 */
const CASES = readdirSync(FIXTURES)
  .filter((f) => /\.in\.(yaml|json)$/.test(f))
  .sort();

let pin: PinRegistry;
let dir: string;
beforeAll(async () => {
  pin = await startPinRegistry();
  dir = mkdtempSync(join(tmpdir(), 'kubefresh-pin-golden-'));
});
afterAll(async () => {
  await pin.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectedFor(name: string, input: string): string {
  const out = name.replace('.in.', '.out.');
  if (!readdirSync(FIXTURES).includes(out)) return input; // nothing to pin: byte-identical
  return pin.fill(fixture(out));
}

describe('kubefresh pin golden files', () => {
  it('has the cases the issue asks for', () => {
    expect(CASES).toEqual(
      expect.arrayContaining([
        'anchors.in.yaml',
        'comments.in.yaml',
        'crlf.in.yaml',
        'deploy.in.json',
        'flow.in.yaml',
        'helm.in.yaml',
        'multi-doc.in.yaml',
        'quoted.in.yaml',
        'unchanged.in.yaml',
      ]),
    );
  });

  it.each(CASES)('%s', async (name) => {
    const input = pin.fill(fixture(name));
    const file = join(dir, name);
    writeFileSync(file, input);
    const result = await runKubefresh(['pin', name], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    if (process.env.UPDATE_GOLDEN === '1' && result.stdout !== input) {
      writeFileSync(join(FIXTURES, name.replace('.in.', '.out.')), pin.unfill(result.stdout));
    }
    expect(result.stdout).toBe(expectedFor(name, input));

    // Idempotent: pinning the pinned output changes nothing.
    writeFileSync(file, result.stdout);
    const again = await runKubefresh(['pin', name], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(result.stdout);

    // And the CI gate agrees that everything is pinned now.
    const check = await runKubefresh(['pin', '--check', name], { cwd: dir });
    expect(check.code).toBe(0);
  });

  it('pins Helm output read from stdin (-) to the same golden text', async () => {
    const input = pin.fill(fixture('helm.in.yaml'));
    const result = await runKubefresh(['pin', '-'], { stdin: input, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(expectedFor('helm.in.yaml', input));
  });

  it('writes -w output byte for byte equal to the stdout output (CRLF included)', async () => {
    const input = pin.fill(fixture('crlf.in.yaml'));
    const file = join(dir, 'crlf-write.yaml');
    writeFileSync(file, input);
    const result = await runKubefresh(['pin', '-w', '-q', 'crlf-write.yaml'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(file, 'utf8')).toBe(expectedFor('crlf.in.yaml', input));
  });
});
