import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  buildMultiPlatformImage,
  LABEL_EXIT_CODE,
  pushImage,
  writeOciLayout,
} from '../../../src/sim/images/index.js';
import { type RunningRegistry, sha256Digest, startRegistry } from '../../../src/sim/registry/index.js';
import { findTool } from '../../support/tools.js';
import { exec } from './exec.js';

const skopeo = findTool('skopeo');
const NO_TLS = ['--tls-verify=false'];
const COPY_NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];

let reg: RunningRegistry;
let work: string;
const single = buildImage({ labels: { [LABEL_EXIT_CODE]: '3', team: 'blue' }, env: { MODE: 'test' } });
const multi = buildMultiPlatformImage({ labels: { multi: 'yes' } }, [
  'linux/amd64',
  'linux/arm64/v8',
  'linux/arm/v7',
]);

beforeAll(async () => {
  reg = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'kubefresh-skopeo-'));
  writeOciLayout(join(work, 'single'), single, { name: 'app:v1' });
  writeOciLayout(join(work, 'multi'), multi, { name: 'multi:v1' });
});
afterAll(async () => {
  await reg?.close();
  rmSync(work, { recursive: true, force: true });
});

async function ok(args: string[]): Promise<string> {
  const result = await exec(skopeo!, args);
  if (result.code !== 0) throw new Error(`skopeo ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

describe.skipIf(!skopeo)('skopeo against the in-process registry', () => {
  it('pushes a single-platform image with skopeo copy and keeps its digest', async () => {
    await ok([
      'copy',
      '--preserve-digests',
      ...COPY_NO_TLS,
      `oci:${join(work, 'single')}:v1`,
      `docker://${reg.host}/skopeo/app:v1`,
    ]);
    expect(reg.registry.resolveTag('skopeo/app', 'v1')).toBe(single.digest);
  });

  it('pushes a multi-platform index with --all: index and every child arrive unchanged', async () => {
    await ok([
      'copy',
      '--all',
      '--preserve-digests',
      ...COPY_NO_TLS,
      `oci:${join(work, 'multi')}:v1`,
      `docker://${reg.host}/skopeo/multi:v1`,
    ]);
    expect(reg.registry.resolveTag('skopeo/multi', 'v1')).toBe(multi.digest);
    for (const child of multi.manifests) {
      expect(reg.registry.getManifest('skopeo/multi', child.digest)?.mediaType).toBe(child.mediaType);
    }
  });

  it('copies both back out unchanged (digests equal)', async () => {
    for (const [repo, artifact] of [
      ['skopeo/app', single],
      ['skopeo/multi', multi],
    ] as const) {
      const out = join(work, `out-${repo.replace('/', '-')}`);
      await ok([
        'copy',
        '--all',
        '--preserve-digests',
        ...COPY_NO_TLS,
        `docker://${reg.host}/${repo}:v1`,
        `oci:${out}:v1`,
      ]);
      const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as {
        manifests: { digest: string }[];
      };
      expect(index.manifests.map((m) => m.digest)).toEqual([artifact.digest]);
    }
  });

  it('copies registry to registry with --all (children fetched by digest)', async () => {
    await ok([
      'copy',
      '--all',
      ...COPY_NO_TLS,
      `docker://${reg.host}/skopeo/multi:v1`,
      `docker://${reg.host}/skopeo/copy:v1`,
    ]);
    expect(reg.registry.resolveTag('skopeo/copy', 'v1')).toBe(multi.digest);
  });

  it('skopeo inspect sees the labels, env and platform of the config', async () => {
    const info = JSON.parse(await ok(['inspect', ...NO_TLS, `docker://${reg.host}/skopeo/app:v1`])) as {
      Digest: string;
      Labels: Record<string, string>;
      Env: string[];
      Architecture: string;
      Os: string;
      RepoTags: string[];
    };
    expect(info).toMatchObject({
      Digest: single.digest,
      Architecture: 'amd64',
      Os: 'linux',
      RepoTags: ['v1'],
    });
    expect(info.Labels).toEqual({ [LABEL_EXIT_CODE]: '3', team: 'blue' });
    expect(info.Env).toEqual(['MODE=test']);
  });

  it('skopeo inspect --raw of an index returns bytes hashing to the index digest; --override-arch picks the child', async () => {
    const raw = await ok(['inspect', '--raw', ...NO_TLS, `docker://${reg.host}/skopeo/multi:v1`]);
    expect(sha256Digest(raw)).toBe(multi.digest);
    const arm = JSON.parse(
      await ok(['--override-arch', 'arm64', 'inspect', ...NO_TLS, `docker://${reg.host}/skopeo/multi:v1`]),
    ) as { Architecture: string; Digest: string };
    expect(arm.Architecture).toBe('arm64');
    expect(arm.Digest).toBe(multi.digest);
  });

  it('skopeo list-tags reads the tags list', async () => {
    await pushImage(reg.url, 'skopeo/tags', 'b', single);
    await pushImage(reg.url, 'skopeo/tags', 'a', single);
    const listed = JSON.parse(await ok(['list-tags', ...NO_TLS, `docker://${reg.host}/skopeo/tags`])) as {
      Tags: string[];
    };
    expect(listed.Tags).toEqual(['a', 'b']);
  });

  it('skopeo sees a missing tag as "manifest unknown"', async () => {
    const result = await exec(skopeo!, ['inspect', ...NO_TLS, `docker://${reg.host}/skopeo/app:nope`]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/manifest unknown/);
  });

  it('skopeo delete removes the manifest', async () => {
    await pushImage(reg.url, 'skopeo/delete', 'v1', single);
    await ok(['delete', ...NO_TLS, `docker://${reg.host}/skopeo/delete:v1`]);
    expect(reg.registry.getManifest('skopeo/delete', single.digest)).toBeUndefined();
  });

  it('skopeo waits out a 429 with Retry-After and reports a 503', async () => {
    reg.registry.log.reset();
    reg.registry.faults.add({ match: { kind: 'manifest' }, status: 429, retryAfter: 1, times: 1 });
    const info = JSON.parse(await ok(['inspect', ...NO_TLS, `docker://${reg.host}/skopeo/app:v1`])) as {
      Digest: string;
    };
    expect(info.Digest).toBe(single.digest);
    expect(reg.registry.log.count({ kind: 'manifest', status: 429 })).toBe(1);
    expect(reg.registry.log.count({ kind: 'manifest', status: 200 })).toBeGreaterThanOrEqual(1);
    reg.registry.faults.add({ match: { kind: 'manifest' }, status: 503, times: 1 });
    const unavailable = await exec(skopeo!, ['inspect', ...NO_TLS, `docker://${reg.host}/skopeo/app:v1`]);
    expect(unavailable.code).not.toBe(0);
    expect(unavailable.stderr).toMatch(/503 Service Unavailable/);
  });
});

describe.skipIf(!skopeo)('directory storage', () => {
  it('keeps images across a registry restart', async () => {
    const dir = join(work, 'storage');
    const first = await startRegistry({ directory: dir });
    await ok([
      'copy',
      '--all',
      '--preserve-digests',
      ...COPY_NO_TLS,
      `oci:${join(work, 'multi')}:v1`,
      `docker://${first.host}/keep/multi:v1`,
    ]);
    await first.close();
    const second = await startRegistry({ directory: dir });
    try {
      const raw = await ok(['inspect', '--raw', ...NO_TLS, `docker://${second.host}/keep/multi:v1`]);
      expect(sha256Digest(raw)).toBe(multi.digest);
      expect(second.registry.repositories()).toEqual(['keep/multi']);
      expect(second.registry.tags('keep/multi')).toEqual(['v1']);
    } finally {
      await second.close();
    }
  });
});
