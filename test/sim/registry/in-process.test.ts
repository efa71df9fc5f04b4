import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT } from '../../../src/core/oci/index.js';
import { buildImage, buildMultiPlatformImage, pushImage } from '../../../src/sim/images/index.js';
import {
  DirectoryStorage,
  InProcessRegistry,
  MemoryStorage,
  startRegistry,
} from '../../../src/sim/registry/index.js';

describe('using the registry without its own server', () => {
  it('serves through `handler` mounted in another node:http server', async () => {
    const registry = new InProcessRegistry();
    const image = buildImage();
    await pushImage(registry, 'mounted/app', 'v1', image);
    const server = createServer(registry.handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/v2/mounted/app/manifests/v1`, {
        method: 'HEAD',
        headers: { Accept: MANIFEST_ACCEPT.join(',') },
      });
      expect(response.headers.get('docker-content-digest')).toBe(image.digest);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('moves, retags and deletes tags directly, as a sim "push of v2" would', async () => {
    const registry = new InProcessRegistry();
    const v1 = buildImage({ labels: { v: '1' } });
    const v2 = buildImage({ labels: { v: '2' } });
    await pushImage(registry, 'app', 'latest', v1);
    await pushImage(registry, 'app', 'latest', v2);
    expect(registry.resolveTag('app', 'latest')).toBe(v2.digest);
    registry.tagManifest('app', 'stable', v1.digest);
    expect(registry.tags('app')).toEqual(['latest', 'stable']);
    expect(registry.getManifest('app', 'stable')?.bytes).toEqual(v1.bytes);
    expect(() => registry.tagManifest('app', 'x', 'sha256:'.padEnd(71, '0'))).toThrow('manifest unknown');
    expect(registry.deleteTag('app', 'stable')).toBe(true);
    expect(registry.repositories()).toEqual(['app']);
  });

  it('listens on ::1 with a bracketed host', async () => {
    const running = await startRegistry({ host: '::1' }).catch(() => undefined);
    if (!running) return; // no IPv6 loopback on this machine
    try {
      expect(running.host).toMatch(/^\[::1\]:\d+$/);
      expect((await fetch(`${running.url}/v2/`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});

describe.each([
  ['memory', () => ({ storage: new MemoryStorage(), cleanup: () => {} })],
  [
    'directory',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'kubefresh-storage-'));
      return {
        storage: new DirectoryStorage(dir),
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  ],
] as const)('%s storage', (_name, make) => {
  it('keeps blobs per repository, tags per repository and deletes a manifest with its tags', async () => {
    const { storage, cleanup } = make();
    try {
      const registry = new InProcessRegistry({ storage });
      const index = buildMultiPlatformImage({}, ['linux/amd64', 'linux/arm64']);
      await pushImage(registry, 'team/a/b', 'one', index);
      registry.tagManifest('team/a/b', 'two', index.digest);
      await pushImage(registry, 'team/a', 'x', buildImage());
      expect(storage.listRepositories()).toEqual(['team/a', 'team/a/b']);
      expect(storage.listTags('team/a/b')).toEqual(['one', 'two']);
      expect(storage.listTags('nope')).toBeUndefined();
      expect(storage.isBlobLinked('team/a/b', index.manifests[0]!.config.digest)).toBe(true);
      expect(storage.isBlobLinked('team/a', index.manifests[1]!.config.digest)).toBe(false);
      expect(storage.deleteManifest('team/a/b', index.digest)).toBe(true);
      expect(storage.listTags('team/a/b')).toEqual([]);
      expect(storage.getManifest('team/a/b', index.manifests[0]!.digest)?.mediaType).toBe(
        index.manifests[0]!.mediaType,
      );
    } finally {
      cleanup();
    }
  });
});
