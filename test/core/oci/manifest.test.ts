import { describe, expect, it } from 'vitest';
import { MEDIA_TYPES, parseOciManifest } from '../../../src/core/oci/index.js';

const source = { registry: 'r.example', repository: 'team/app', reference: 'v1' };
const D = (c: string): string => `sha256:${c.repeat(64)}`;

describe('parseOciManifest', () => {
  it('reads an OCI index with platforms, taking the kind from Content-Type', () => {
    const body = JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: MEDIA_TYPES.ociManifest,
          digest: D('a'),
          size: 5,
          platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        },
        {
          mediaType: MEDIA_TYPES.ociManifest,
          digest: D('b'),
          size: 6,
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
        },
      ],
    });
    expect(parseOciManifest(body, `${MEDIA_TYPES.ociIndex}; charset=utf-8`, source)).toEqual({
      kind: 'index',
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [
        {
          mediaType: MEDIA_TYPES.ociManifest,
          digest: D('a'),
          size: 5,
          platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        },
        {
          mediaType: MEDIA_TYPES.ociManifest,
          digest: D('b'),
          size: 6,
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
        },
      ],
    });
  });

  it('reads a Docker schema 2 manifest by its mediaType field when the header is generic', () => {
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.dockerManifest,
      config: { mediaType: MEDIA_TYPES.dockerConfig, digest: D('c'), size: 7 },
      layers: [{ mediaType: MEDIA_TYPES.dockerLayerGzip, digest: D('d'), size: 8 }],
    });
    const parsed = parseOciManifest(body, 'application/octet-stream', source);
    expect(parsed).toMatchObject({
      kind: 'manifest',
      mediaType: MEDIA_TYPES.dockerManifest,
      config: { digest: D('c') },
    });
  });

  it('infers an index without mediaType from its shape', () => {
    expect(parseOciManifest('{"schemaVersion":2,"manifests":[]}', undefined, source)).toEqual({
      kind: 'index',
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [],
    });
  });

  it.each([
    ['<html>', 'the body is not JSON'],
    ['[]', 'the body is not a JSON object'],
    [
      '{"schemaVersion":1,"fsLayers":[]}',
      'Docker schema 1 manifests are not supported (they have no content digest of their own)',
    ],
    ['{"schemaVersion":2,"mediaType":"text/plain"}', 'unknown media type "text/plain"'],
    [
      `{"schemaVersion":2,"manifests":[{"digest":"sha256:abc"}]}`,
      'manifests[0].digest "sha256:abc" is not a sha256 or sha512 digest',
    ],
  ])('rejects %s: %s', (body, problem) => {
    expect(() => parseOciManifest(body, undefined, source)).toThrow(
      expect.objectContaining({
        code: 'REGISTRY_PROTOCOL',
        message: `registry r.example sent an invalid manifest for r.example/team/app@v1: ${problem}`,
      }),
    );
  });
});
