import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTool } from '../support/tools.js';

const bin = join(import.meta.dirname, '../../dist/cli/bin.js');
const kubectl = findTool('kubectl');
const built = existsSync(bin);
if (!built && process.env.CI === 'true')
  throw new Error('dist/ is missing: .ci/run builds it with npm install');

describe('kubectl plugin', () => {
  it.skipIf(!kubectl || !built)('runs as `kubectl fresh` when kubectl-fresh is on PATH', () => {
    // What `npm install -g kubefresh` sets up: the kubectl-fresh binary on PATH, found by kubectl.
    const dir = mkdtempSync(join(tmpdir(), 'kubefresh-plugin-'));
    try {
      symlinkSync(bin, join(dir, 'kubectl-fresh'));
      const env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` };
      const plugins = execFileSync(kubectl!, ['plugin', 'list'], { env, encoding: 'utf8' });
      expect(plugins).toContain(join(dir, 'kubectl-fresh'));
      const out = execFileSync(kubectl!, ['fresh', 'ref', 'nginx', '-o', 'json'], { env, encoding: 'utf8' });
      expect(JSON.parse(out)[0]).toMatchObject({
        qualified: 'docker.io/library/nginx:latest',
        defaultPullPolicy: 'Always',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
