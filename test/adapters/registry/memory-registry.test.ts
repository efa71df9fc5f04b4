import { afterEach, describe, expect, it } from 'vitest';
import { describeImage, RegistryClient, staticCredentials } from '../../../src/adapters/registry/index.js';
import { parseImageRef } from '../../../src/core/image-ref/index.js';
import { parsePlatform } from '../../../src/core/oci/index.js';
import { blobsOf, buildImage, buildMultiPlatformImage, manifestsOf } from '../../../src/sim/images/index.js';
import { type RunningRegistry, startRegistry } from '../../../src/sim/registry/index.js';

let running: RunningRegistry[] = [];
afterEach(async () => {
  await Promise.all(running.map((r) => r.close()));
  running = [];
});

async function registry(options: Parameters<typeof startRegistry>[0] = {}): Promise<RunningRegistry> {
  const r = await startRegistry(options);
  running.push(r);
  return r;
}

describe('registry client against the in-process registry', () => {
  it('pushes a multi-platform image with the port and resolves it with one HEAD', async () => {
    const r = await registry();
    const index = buildMultiPlatformImage({ labels: { app: 'web' } }, [
      'linux/amd64',
      'linux/arm64/v8',
      'linux/arm/v7',
    ]);
    const client = new RegistryClient();
    const ref = parseImageRef(`${r.host}/team/web:v1`);
    for (const blob of blobsOf(index)) await client.pushBlob(ref, blob.digest, blob.bytes);
    for (const m of manifestsOf(index)) {
      const reference = m === index ? 'v1' : m.digest;
      expect(await client.putManifest(ref, reference, m.mediaType, m.bytes)).toBe(m.digest);
    }
    const before = r.registry.log.records.length;
    expect(await client.resolve(ref)).toEqual({
      digest: index.digest,
      mediaType: index.mediaType,
      size: index.size,
    });
    expect(r.registry.log.records.slice(before).map((rec) => `${rec.method} ${rec.kind}`)).toEqual([
      'HEAD manifest',
    ]);
    const arm = index.manifests.find((m) => m.platform.architecture === 'arm')!;
    const described = await describeImage(client, ref, { platform: parsePlatform('linux/arm') });
    expect(described.image).toEqual({
      platform: 'linux/arm/v7',
      digest: arm.digest,
      mediaType: arm.mediaType,
      configDigest: arm.config.digest,
    });
    expect(await client.listTags(ref)).toEqual(['v1']);
    await client.close();
  });

  it('asks the registry again for a tag it has just pushed over', async () => {
    const r = await registry();
    const client = new RegistryClient();
    const ref = parseImageRef(`${r.host}/team/api:latest`);
    const push = async (version: string) => {
      const image = buildImage({ labels: { version } });
      for (const blob of blobsOf(image)) await client.pushBlob(ref, blob.digest, blob.bytes);
      return client.putManifest(ref, 'latest', image.mediaType, image.bytes);
    };
    const v1 = await push('v1');
    expect((await client.resolve(ref)).digest).toBe(v1);
    const v2 = await push('v2');
    expect(v2).not.toBe(v1);
    expect((await client.resolve(ref)).digest).toBe(v2);
  });

  it('resolves a Docker manifest list to the list digest, not the amd64 child', async () => {
    const r = await registry();
    const list = buildMultiPlatformImage({ format: 'docker' }, ['linux/amd64', 'linux/arm64']);
    for (const blob of blobsOf(list)) r.registry.pushBlob('lib/app', blob.bytes);
    for (const m of manifestsOf(list))
      r.registry.pushManifest('lib/app', m === list ? 'stable' : m.digest, m.bytes, m.mediaType);
    const client = new RegistryClient();
    const resolved = await client.resolve(parseImageRef(`${r.host}/lib/app:stable`));
    await client.close();
    expect(resolved).toMatchObject({
      digest: list.digest,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
    });
  });

  it('falls back to GET when the registry omits Docker-Content-Digest', async () => {
    const r = await registry();
    const image = buildImage({ labels: { v: '1' } });
    for (const blob of blobsOf(image)) r.registry.pushBlob('old/app', blob.bytes);
    r.registry.pushManifest('old/app', '1', image.bytes, image.mediaType);
    r.registry.faults.add({ match: { kind: 'manifest' }, omitDigest: true });
    const client = new RegistryClient();
    const before = r.registry.log.records.length;
    expect((await client.resolve(parseImageRef(`${r.host}/old/app:1`))).digest).toBe(image.digest);
    await client.close();
    // A loopback registry is not pinged: the HEAD finds out the scheme and the auth.
    expect(r.registry.log.records.slice(before).map((rec) => `${rec.method} ${rec.kind}`)).toEqual([
      'HEAD manifest',
      'GET manifest',
    ]);
  });

  it('retries injected 503s and dropped connections', async () => {
    const r = await registry();
    const image = buildImage({ labels: { v: '2' } });
    for (const blob of blobsOf(image)) r.registry.pushBlob('flaky/app', blob.bytes);
    r.registry.pushManifest('flaky/app', '1', image.bytes, image.mediaType);
    r.registry.faults.add({ match: { kind: 'manifest' }, status: 503, times: 1 });
    r.registry.faults.add({ match: { kind: 'manifest' }, drop: true, times: 1 });
    const client = new RegistryClient({ sleep: async () => {} });
    expect((await client.resolve(parseImageRef(`${r.host}/flaky/app:1`))).digest).toBe(image.digest);
    await client.close();
  });

  it('authenticates with its token service and reports a denied repository', async () => {
    const r = await registry({
      auth: { type: 'token', users: { carol: 'c4rol-Pass' }, deny: ['secret/app'] },
    });
    const image = buildImage({ labels: { v: '3' } });
    for (const repo of ['team/app', 'secret/app']) {
      for (const blob of blobsOf(image)) r.registry.pushBlob(repo, blob.bytes);
      r.registry.pushManifest(repo, '1', image.bytes, image.mediaType);
    }
    const client = new RegistryClient({
      credentials: staticCredentials({
        [r.host]: { kind: 'basic', username: 'carol', password: 'c4rol-Pass' },
      }),
    });
    expect((await client.resolve(parseImageRef(`${r.host}/team/app:1`))).digest).toBe(image.digest);
    await expect(client.resolve(parseImageRef(`${r.host}/secret/app:1`))).rejects.toMatchObject({
      code: 'REGISTRY_DENIED',
      message: `registry ${r.host} denied access to ${r.host}/secret/app (HTTP 401)`,
    });
    await client.close();
  });
});
