import { describe, expect, it } from 'vitest';
import {
  matchRunningDigest,
  parseImageId,
  type RegistryImage,
} from '../../../src/core/digest-match/index.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;

describe('parseImageId', () => {
  it.each([
    [`docker.io/library/nginx@${D('a')}`, { kind: 'repo-digest', repository: 'nginx', digest: D('a') }],
    [`docker-pullable://nginx@${D('a')}`, { kind: 'repo-digest', repository: 'nginx', digest: D('a') }],
    [
      `docker-pullable://istio/proxyv2@${D('a')}`,
      { kind: 'repo-digest', repository: 'istio/proxyv2', digest: D('a') },
    ],
    [
      `127.0.0.1:5000/team/app@${D('b')}`,
      { kind: 'repo-digest', repository: '127.0.0.1:5000/team/app', digest: D('b') },
    ],
    [`docker://${D('c')}`, { kind: 'config', digest: D('c') }],
    [D('c'), { kind: 'config', digest: D('c') }],
    ['', { kind: 'none' }],
    [undefined, { kind: 'none' }],
    ['nginx:latest', { kind: 'none' }],
  ])('%s', (input, want) => {
    expect(parseImageId(input)).toEqual(want);
  });
});

describe('matchRunningDigest (semantics §3)', () => {
  const index: RegistryImage = {
    digest: D('d'),
    mediaType: 'application/vnd.oci.image.index.v1+json',
    children: [
      { platform: { os: 'linux', architecture: 'amd64' }, digest: D('1'), configDigest: D('7') },
      {
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        digest: D('2'),
        configDigest: D('8'),
      },
    ],
  };
  const amd64 = { os: 'linux', architecture: 'amd64' };
  const arm64 = { os: 'linux', architecture: 'aarch64' };

  it.each([
    [
      'index digest, other repo spelling',
      `mirror.local/x/app@${D('d')}`,
      amd64,
      { matched: true, kind: 'top' },
    ],
    ['the node platform child', `app@${D('2')}`, arm64, { matched: true, kind: 'platform-child' }],
    ['another platform child', `app@${D('1')}`, arm64, { matched: false, bareConfig: false }],
    [
      'any child when the node platform is unknown',
      `app@${D('1')}`,
      undefined,
      { matched: true, kind: 'platform-child' },
    ],
    ['bare config of the node child', D('8'), arm64, { matched: true, kind: 'config' }],
    ['bare config of another child', D('7'), arm64, { matched: false, bareConfig: true }],
    ['an old digest', `app@${D('0')}`, amd64, { matched: false, bareConfig: false }],
  ])('%s', (_name, imageId, platform, want) => {
    expect(matchRunningDigest(imageId, index, platform)).toMatchObject(want);
  });

  it('a single-platform image matches its own digest or its config digest', () => {
    const image: RegistryImage = {
      digest: D('5'),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      configDigest: D('c'),
    };
    expect(matchRunningDigest(`docker-pullable://app@${D('5')}`, image)).toMatchObject({
      matched: true,
      kind: 'top',
    });
    expect(matchRunningDigest(`docker://${D('c')}`, image)).toMatchObject({ matched: true, kind: 'config' });
    expect(matchRunningDigest('', image)).toEqual({
      matched: false,
      runningDigest: undefined,
      bareConfig: false,
    });
  });
});
