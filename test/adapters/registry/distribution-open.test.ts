import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeImage, RegistryClient } from '../../../src/adapters/registry/index.js';
import { parseImageRef } from '../../../src/core/image-ref/index.js';
import { parsePlatform } from '../../../src/core/oci/index.js';
import { type Distribution, startDistribution } from '../../support/distribution.js';
import { type BuiltImage, skopeoPush, writeOciLayout } from '../../support/oci-layout.js';
import { findTool } from '../../support/tools.js';

const registryBin = findTool('docker-registry');
const skopeo = findTool('skopeo');

describe.skipIf(!registryBin || !skopeo)('registry client against distribution 2.8 (open)', () => {
  let registry: Distribution;
  let work: string;
  let multi: BuiltImage;
  let single: BuiltImage;

  beforeAll(async () => {
    registry = await startDistribution(registryBin!);
    work = mkdtempSync(join(tmpdir(), 'kubefresh-open-'));
    multi = writeOciLayout(join(work, 'multi'), {
      tag: '1.0',
      platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'],
      label: 'multi',
    });
    await skopeoPush(skopeo!, join(work, 'multi'), '1.0', `${registry.host}/team/app:1.0`);
    single = writeOciLayout(join(work, 'single'), {
      tag: 'solo',
      platforms: ['linux/amd64'],
      label: 'single',
      single: true,
    });
    await skopeoPush(skopeo!, join(work, 'single'), 'solo', `${registry.host}/team/app:solo`);
  });
  afterAll(async () => {
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('resolves a multi-platform tag to the index digest with one HEAD and no manifest GET', async () => {
    const client = new RegistryClient();
    const before = registry.accessLog.length;
    const resolved = await client.resolve(parseImageRef(`${registry.host}/team/app:1.0`));
    await client.close();
    expect(resolved).toEqual({
      digest: multi.digest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      size: expect.any(Number),
    });
    // Our requests only (skopeo's log lines from the push may still be arriving).
    await registry.waitForLog((line) => line.includes('"kubefresh"') && line.includes('/manifests/1.0 '));
    const requests = registry.accessLog
      .slice(before)
      .filter((line) => line.includes('"kubefresh"'))
      .map((line) => /"([A-Z]+) (\S+)/.exec(line)!.slice(1, 3).join(' '));
    expect(requests.filter((r) => r.includes('/manifests/'))).toEqual(['HEAD /v2/team/app/manifests/1.0']);
  });

  it('picks the arm64 child (v8 implied) and reads its config digest', async () => {
    const client = new RegistryClient();
    const described = await describeImage(client, parseImageRef(`${registry.host}/team/app:1.0`), {
      platform: parsePlatform('linux/arm64'),
    });
    await client.close();
    const arm = multi.images.find((i) => i.platform === 'linux/arm64/v8')!;
    expect(described.index?.digest).toBe(multi.digest);
    expect(described.index?.platforms.map((p) => p.platform)).toEqual([
      'linux/amd64',
      'linux/arm64',
      'linux/arm/v7',
    ]);
    expect(described.image).toEqual({
      platform: 'linux/arm64',
      digest: arm.digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      configDigest: arm.configDigest,
    });
  });

  it('describes a single-platform image with its config digest', async () => {
    const client = new RegistryClient();
    const described = await describeImage(client, parseImageRef(`${registry.host}/team/app:solo`), {
      detail: true,
    });
    await client.close();
    expect(described.digest).toBe(single.digest);
    expect(described.index).toBeUndefined();
    expect(described.image?.configDigest).toBe(single.images[0]!.configDigest);
  });

  it('tells a missing tag from a missing repository', async () => {
    const client = new RegistryClient();
    await expect(client.resolve(parseImageRef(`${registry.host}/team/app:nope`))).rejects.toMatchObject({
      code: 'REGISTRY_NOT_FOUND',
      message: `manifest "nope" not found in ${registry.host}/team/app`,
      details: { kind: 'manifest', registry: registry.host, repository: 'team/app' },
    });
    await expect(client.resolve(parseImageRef(`${registry.host}/team/ghost:1.0`))).rejects.toMatchObject({
      code: 'REGISTRY_NOT_FOUND',
      message: `repository ${registry.host}/team/ghost not found on registry ${registry.host}`,
      details: { kind: 'repository' },
    });
    await client.close();
  });

  it('lists tags', async () => {
    const client = new RegistryClient();
    expect((await client.listTags(parseImageRef(`${registry.host}/team/app`))).sort()).toEqual([
      '1.0',
      'solo',
    ]);
    await client.close();
  });

  it('pushes blobs and a manifest that skopeo can then read back', async () => {
    const client = new RegistryClient();
    const ref = parseImageRef(`${registry.host}/team/pushed:v1`);
    const source = await client.fetchManifest(parseImageRef(`${registry.host}/team/app:solo`));
    const manifest = source.manifest;
    if (manifest.kind !== 'manifest') throw new Error('expected a manifest');
    // Copy the blobs over with the port's push operations, then the manifest under a new tag.
    const { readFileSync } = await import('node:fs');
    for (const blob of [manifest.config, ...manifest.layers]) {
      const bytes = readFileSync(join(work, 'single', 'blobs', 'sha256', blob.digest.slice(7)));
      await client.pushBlob(ref, blob.digest, bytes);
      expect(await client.hasBlob(ref, blob.digest)).toBe(true);
    }
    const digest = await client.putManifest(ref, 'v1', source.mediaType, source.bytes);
    expect(digest).toBe(single.digest);
    const { execFileSync } = await import('node:child_process');
    const inspected = execFileSync(
      skopeo!,
      [
        'inspect',
        '--tls-verify=false',
        '--format',
        '{{.Digest}}',
        `docker://${registry.host}/team/pushed:v1`,
      ],
      { encoding: 'utf8' },
    );
    expect(inspected.trim()).toBe(single.digest);
    await client.close();
  });
});
