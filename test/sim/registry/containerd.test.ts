import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  buildMultiPlatformImage,
  dockerArchive,
  ociArchive,
  pushImage,
} from '../../../src/sim/images/index.js';
import { type RunningRegistry, startRegistry } from '../../../src/sim/registry/index.js';
import { type Containerd, containerdUnavailable, startContainerd } from '../../support/containerd.js';
import { findTool } from '../../support/tools.js';

const containerdBin = findTool('containerd');
const ctrBin = findTool('ctr');
const unavailable = containerdUnavailable(containerdBin, ctrBin);
if (unavailable && process.env.CI === 'true')
  throw new Error(`containerd interop tests cannot run: ${unavailable}`);
if (unavailable) process.stderr.write(`skipping containerd interop tests: ${unavailable}\n`);

const single = buildImage({ labels: { version: 'v1' } });
const multi = buildMultiPlatformImage({ labels: { version: 'multi' } }, ['linux/amd64', 'linux/arm64/v8']);
const dockerList = buildMultiPlatformImage({ format: 'docker' }, ['linux/amd64', 'linux/arm64']);
const PASSWORD = 'tok3n-Pa55';

let reg: RunningRegistry;
let ctrd: Containerd;
let work: string;

/** `ctr images ls` as REF → DIGEST. */
async function imageDigests(): Promise<Map<string, string>> {
  const result = await ctrd.ctr(['images', 'ls']);
  expect(result.code, result.stderr).toBe(0);
  const rows = result.stdout.trim().split('\n').slice(1);
  return new Map(rows.map((row) => row.split(/\s+/)).map((cols) => [cols[0]!, cols[2]!]));
}

async function ctrOk(args: string[]): Promise<string> {
  const result = await ctrd.ctr(args);
  if (result.code !== 0)
    throw new Error(`ctr ${args.join(' ')} failed:\n${result.stderr}\n${ctrd.log().slice(-2000)}`);
  return result.stdout;
}

describe.skipIf(unavailable !== undefined)('containerd (ctr) against the in-process registry', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'kubefresh-ctr-'));
    reg = await startRegistry();
    await pushImage(reg.url, 'ctr/app', 'v1', single);
    await pushImage(reg.url, 'ctr/multi', 'v1', multi);
    await pushImage(reg.url, 'ctr/list', 'v1', dockerList);
    ctrd = await startContainerd({ containerd: containerdBin!, ctr: ctrBin! });
  });
  afterAll(async () => {
    await ctrd?.stop();
    await reg?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('pulls an image by tag with --plain-http and records our digest', async () => {
    await ctrOk(['images', 'pull', '--plain-http', `${reg.host}/ctr/app:v1`]);
    expect((await imageDigests()).get(`${reg.host}/ctr/app:v1`)).toBe(single.digest);
    const check = await ctrOk(['images', 'check', `name==${reg.host}/ctr/app:v1`]);
    expect(check).toMatch(new RegExp(`${reg.host}/ctr/app:v1\\s.*${single.digest}\\s+complete`));
  });

  it('pulls one platform of a multi-platform index and records the index digest', async () => {
    await ctrOk(['images', 'pull', '--plain-http', '--platform', 'linux/arm64', `${reg.host}/ctr/multi:v1`]);
    expect((await imageDigests()).get(`${reg.host}/ctr/multi:v1`)).toBe(multi.digest);
    const arm = multi.manifests.find((m) => m.platform.architecture === 'arm64')!;
    const amd = multi.manifests.find((m) => m.platform.architecture === 'amd64')!;
    const content = await ctrOk(['content', 'ls', '-q']);
    expect(content).toContain(arm.digest);
    expect(content).not.toContain(amd.digest);
  });

  it('pulls every platform of a Docker manifest list with --all-platforms', async () => {
    await ctrOk(['images', 'pull', '--plain-http', '--all-platforms', `${reg.host}/ctr/list:v1`]);
    expect((await imageDigests()).get(`${reg.host}/ctr/list:v1`)).toBe(dockerList.digest);
    const content = await ctrOk(['content', 'ls', '-q']);
    for (const child of dockerList.manifests) {
      for (const digest of [child.digest, child.config.digest, ...child.layers.map((l) => l.digest)]) {
        expect(content).toContain(digest);
      }
    }
  });

  it('resolves tags with HEAD (our Docker-Content-Digest) and fetches the manifest once', async () => {
    reg.registry.log.reset();
    await ctrOk(['images', 'pull', '--plain-http', `${reg.host}/ctr/app:v1`]);
    expect(reg.registry.log.count({ method: 'HEAD', kind: 'manifest' })).toBe(1);
    expect(reg.registry.log.count({ method: 'GET', kind: 'manifest' })).toBeLessThanOrEqual(1);
  });

  it('falls back to GET when the registry omits Docker-Content-Digest, and still records our digest', async () => {
    reg.registry.faults.add({ match: { repository: 'ctr/old' }, omitDigest: true });
    await pushImage(reg.registry, 'ctr/old', 'v1', single);
    reg.registry.log.reset();
    await ctrOk(['images', 'pull', '--plain-http', `${reg.host}/ctr/old:v1`]);
    expect((await imageDigests()).get(`${reg.host}/ctr/old:v1`)).toBe(single.digest);
    expect(reg.registry.log.count({ method: 'GET', kind: 'manifest' })).toBeGreaterThanOrEqual(1);
    reg.registry.faults.clear();
  });

  it('reports a missing tag as not found', async () => {
    const result = await ctrd.ctr(['images', 'pull', '--plain-http', `${reg.host}/ctr/app:missing`]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${reg.host}/ctr/app:missing: not found`);
  });

  it('pulls through token auth with --user (containerd fetches its own token)', async () => {
    const secured = await startRegistry({ auth: { type: 'token', users: { bob: PASSWORD } } });
    try {
      await pushImage(secured.registry, 'ctr/private', 'v1', single);
      const anonymous = await ctrd.ctr(['images', 'pull', '--plain-http', `${secured.host}/ctr/private:v1`]);
      expect(anonymous.code).not.toBe(0);
      expect(anonymous.stderr).toMatch(
        /401 Unauthorized|authorization failed|failed to fetch anonymous token/,
      );
      await ctrOk([
        'images',
        'pull',
        '--plain-http',
        '--user',
        `bob:${PASSWORD}`,
        `${secured.host}/ctr/private:v1`,
      ]);
      expect((await imageDigests()).get(`${secured.host}/ctr/private:v1`)).toBe(single.digest);
    } finally {
      await secured.close();
    }
  });

  it('imports our OCI archive (single and multi-platform) under the recorded name and digest', async () => {
    writeFileSync(join(work, 'oci.tar'), ociArchive(single, { name: 'docker.io/library/imported:v1' }));
    writeFileSync(
      join(work, 'multi.tar'),
      ociArchive(multi, { name: 'docker.io/library/imported-multi:v1' }),
    );
    await ctrOk(['images', 'import', join(work, 'oci.tar')]);
    await ctrOk(['images', 'import', '--all-platforms', join(work, 'multi.tar')]);
    const digests = await imageDigests();
    expect(digests.get('docker.io/library/imported:v1')).toBe(single.digest);
    expect(digests.get('docker.io/library/imported-multi:v1')).toBe(multi.digest);
  });

  it('imports our docker archive; containerd writes its own manifest over our config', async () => {
    writeFileSync(join(work, 'docker.tar'), dockerArchive(single, { name: 'docker.io/library/saved:v1' }));
    await ctrOk(['images', 'import', join(work, 'docker.tar')]);
    const manifestDigest = (await imageDigests()).get('docker.io/library/saved:v1');
    expect(manifestDigest).toMatch(/^sha256:/);
    const manifest = JSON.parse(await ctrOk(['content', 'get', manifestDigest!])) as {
      config: { digest: string };
      layers: { digest: string }[];
    };
    expect(manifest.config.digest).toBe(single.config.digest);
    expect(manifest.layers.map((l) => l.digest)).toEqual(single.layers.map((l) => l.digest));
  });
});
