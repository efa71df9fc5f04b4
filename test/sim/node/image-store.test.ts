import { describe, expect, it } from 'vitest';
import { type ImageConfig, InMemoryNodeImageStore, nodeStatusImages } from '../../../src/sim/node/index.js';

const config: ImageConfig = {
  os: 'linux',
  architecture: 'amd64',
  env: [],
  entrypoint: ['/app'],
  cmd: [],
  labels: {},
};
const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('InMemoryNodeImageStore', () => {
  it('a re-pull moves the tag; the old image keeps only its repo digest', async () => {
    const store = new InMemoryNodeImageStore();
    const name = 'docker.io/library/nginx';
    await store.addPulled({ name, tag: 'latest', digest: digest('a'), id: digest('1'), size: 10, config });
    await store.addPulled({ name, tag: 'latest', digest: digest('b'), id: digest('2'), size: 20, config });
    expect((await store.resolve(`${name}:latest`))?.id).toBe(digest('2'));
    expect(await store.resolve(`${name}@${digest('a')}`)).toMatchObject({
      id: digest('1'),
      repoTags: [],
      repoDigests: [`${name}@${digest('a')}`],
    });
    expect(await store.list()).toHaveLength(2);
  });

  it('an import records the tag without a repo digest, pinned; re-importing moves the tag', async () => {
    const store = new InMemoryNodeImageStore();
    await store.importImage({ repoTag: 'docker.io/library/app:v1', id: digest('1'), size: 5, config });
    expect(await store.resolve('docker.io/library/app:v1')).toMatchObject({ repoDigests: [], pinned: true });
    await store.importImage({ repoTag: 'docker.io/library/app:v1', id: digest('2'), size: 5, config });
    // With no name left, containerd no longer lists the first image.
    expect((await store.list()).map((i) => i.id)).toEqual([digest('2')]);
  });

  it('resolves by id and removes an image with all its names (crictl rmi)', async () => {
    const store = new InMemoryNodeImageStore();
    const name = 'localhost:5000/app';
    await store.addPulled({ name, tag: 'v1', digest: digest('a'), id: digest('1'), size: 1, config });
    await store.addPulled({ name, tag: 'stable', digest: digest('a'), id: digest('1'), size: 1, config });
    expect((await store.resolve(digest('1')))?.repoTags).toEqual([`${name}:stable`, `${name}:v1`]);
    expect(await store.remove(`${name}:stable`)).toBe(true);
    expect(await store.resolve(`${name}:v1`)).toBeUndefined();
    expect(await store.remove(`${name}:v1`)).toBe(false);
  });
});

describe('nodeStatusImages', () => {
  it('sorts largest first, caps the list and cuts names to 5 with digests before tags', () => {
    const images = Array.from({ length: 60 }, (_, i) => ({
      id: digest((i % 10).toString()),
      repoTags: Array.from({ length: 4 }, (_, t) => `r/app${i}:t${t}`),
      repoDigests: [`r/app${i}@${digest('a')}`, `r/app${i}@${digest('b')}`],
      size: i * 100,
      pinned: false,
      config,
    }));
    const status = nodeStatusImages(images);
    expect(status).toHaveLength(50);
    expect(status[0]!.sizeBytes).toBe(5900);
    expect(status.at(-1)!.sizeBytes).toBe(1000);
    expect(status[0]!.names).toEqual([
      `r/app59@${digest('a')}`,
      `r/app59@${digest('b')}`,
      'r/app59:t0',
      'r/app59:t1',
      'r/app59:t2',
    ]);
    expect(nodeStatusImages(images, 3)).toHaveLength(3);
    expect(nodeStatusImages(images, -1)).toHaveLength(60);
  });
});
