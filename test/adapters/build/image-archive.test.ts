import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageArchive } from '../../../src/adapters/build/index.js';
import { RegistryClient } from '../../../src/adapters/registry/index.js';
import { parseImageRef } from '../../../src/core/image-ref/index.js';
import { pushImage } from '../../../src/pipeline/deploy/index.js';
import {
  buildImage,
  buildMultiPlatformImage,
  dockerArchive,
  ociArchive,
  writeOciLayout,
} from '../../../src/sim/images/index.js';
import { type RunningRegistry, startRegistry } from '../../../src/sim/registry/index.js';
import { appImage } from '../../../src/sim/scenarios/index.js';

/** Reading images from disk and pushing them with kubefresh's client to a real HTTP registry. */
describe('readImageArchive + pushImage', () => {
  let registry: RunningRegistry;
  let client: RegistryClient;
  let dir: string;
  beforeAll(async () => {
    registry = await startRegistry({ host: '127.0.0.1', port: 0 });
    client = new RegistryClient();
    dir = await mkdtemp(join(tmpdir(), 'kubefresh-archive-'));
  });
  afterAll(async () => {
    await client?.close();
    await registry?.close();
  });
  const host = () => `127.0.0.1:${registry.port}`;

  it('an OCI layout directory: the digest pushed is the layout digest, blobs once', async () => {
    const image = buildImage(appImage('layout'));
    const layout = join(dir, 'layout');
    writeOciLayout(layout, image);
    const archive = await readImageArchive(layout);
    expect(archive.format).toBe('oci-layout');
    expect(archive.top.digest).toBe(image.digest);
    const ref = parseImageRef(`${host()}/t/layout`);
    const first = await pushImage(client, ref, archive, 'v1');
    expect(first).toMatchObject({ digest: image.digest, skipped: 0 });
    const second = await pushImage(client, ref, archive, 'v2');
    expect(second.skipped).toBe(second.blobs);
    expect((await new RegistryClient().resolve(ref, 'v2')).digest).toBe(image.digest);
  });

  it('an OCI archive of a multi-platform index keeps the index digest', async () => {
    const index = buildMultiPlatformImage(appImage('multi'), ['linux/amd64', 'linux/arm64']);
    const file = join(dir, 'multi.tar');
    await writeFile(file, ociArchive(index, { name: 'x/multi:v1' }));
    const archive = await readImageArchive(file);
    expect(archive.format).toBe('oci-archive');
    expect(archive.children).toHaveLength(2);
    const pushed = await pushImage(client, parseImageRef(`${host()}/t/multi`), archive, 'v1');
    expect(pushed.digest).toBe(index.digest);
  });

  it('a docker archive: an OCI manifest is made over the same config and layers', async () => {
    const image = buildImage(appImage('docker'));
    const file = join(dir, 'docker.tar');
    await writeFile(file, dockerArchive(image, { name: 'x/docker:v1' }));
    const archive = await readImageArchive(file);
    expect(archive.format).toBe('docker-archive');
    const manifest = JSON.parse(Buffer.from(archive.top.bytes).toString('utf8'));
    expect(manifest.config.digest).toBe(image.config.digest);
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
      'application/vnd.oci.image.layer.v1.tar+gzip',
    ]);
    const pushed = await pushImage(client, parseImageRef(`${host()}/t/docker`), archive, 'v1');
    expect(pushed.digest).toBe(archive.top.digest);
  });

  it('refuses what is not an image, quoting the path', async () => {
    const file = join(dir, 'junk.tar');
    await writeFile(file, Buffer.alloc(1024));
    await expect(readImageArchive(file)).rejects.toMatchObject({
      code: 'BUILD_BAD_ARCHIVE',
      message: `"${file}" is not an image archive kubefresh can push: the tar holds neither index.json nor manifest.json`,
    });
    await expect(readImageArchive(join(dir, 'missing'))).rejects.toMatchObject({ code: 'IO_NOT_FOUND' });
  });
});
