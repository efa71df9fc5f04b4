import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubefresh } from '../support/cli.js';
import { type Distribution, startDistribution } from '../support/distribution.js';
import { type BuiltImage, skopeoPush, writeOciLayout } from '../support/oci-layout.js';
import { findTool } from '../support/tools.js';

const registryBin = findTool('docker-registry');
const skopeo = findTool('skopeo');

describe.skipIf(!registryBin || !skopeo)('kubefresh pin against distribution 2.8', () => {
  let registry: Distribution;
  let work: string;
  let multi: BuiltImage;

  beforeAll(async () => {
    registry = await startDistribution(registryBin!);
    work = mkdtempSync(join(tmpdir(), 'kubefresh-pin-dist-'));
    multi = writeOciLayout(join(work, 'multi'), {
      tag: '1.0',
      platforms: ['linux/amd64', 'linux/arm64/v8'],
      label: 'pin',
    });
    await skopeoPush(skopeo!, join(work, 'multi'), '1.0', `${registry.host}/team/app:1.0`);
  });
  afterAll(async () => {
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('pins a multi-platform tag pushed by skopeo to the index digest skopeo reads back', async () => {
    const file = join(work, 'deploy.yaml');
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: "${registry.host}/team/app:1.0"   # from distribution\n`;
    writeFileSync(file, text);
    const result = await runKubefresh(['pin', '-w', 'deploy.yaml'], { cwd: work });
    expect(result.stderr).toBe(
      'pinned 1 image in 1 file (0 already pinned; 1 tag resolved, 0 digests checked)\n',
    );
    expect(result.code).toBe(0);

    // An independent reading: the raw manifest skopeo fetches by tag, hashed.
    const raw = execFileSync(skopeo!, [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${registry.host}/team/app:1.0`,
    ]);
    const digest = `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    expect(digest).toBe(multi.digest);
    expect(readFileSync(file, 'utf8')).toBe(text.replace('team/app:1.0"', `team/app:1.0@${digest}"`));
    // Resolving used HEAD only: distribution's access log shows no manifest GET from us.
    expect(await registry.waitForLog((l) => /"HEAD \/v2\/team\/app\/manifests\/1\.0 /.test(l))).toHaveLength(
      1,
    );

    // Pinned now: a second run only checks the digest exists, and changes nothing.
    const again = await runKubefresh(['pin', '--check', 'deploy.yaml'], { cwd: work });
    expect(again).toMatchObject({ code: 0, stdout: 'all 1 image is pinned to digests\n' });
  });

  it('names the file, line, column and "not found" for a tag distribution does not have', async () => {
    const file = join(work, 'missing.yaml');
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: ${registry.host}/team/app:2.0\n`,
    );
    const before = readFileSync(file, 'utf8');
    const result = await runKubefresh(['pin', '-w', 'missing.yaml'], { cwd: work });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `error: missing.yaml:7:12: image "${registry.host}/team/app:2.0": not found: manifest "2.0" not found in ${registry.host}/team/app\n`,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
