import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '../../../src/core/oci/index.js';
import {
  type BuiltArtifact,
  buildImage,
  buildMultiPlatformImage,
  pushImage,
} from '../../../src/sim/images/index.js';
import { type RunningRegistry, startRegistry } from '../../../src/sim/registry/index.js';
import { type Distribution, startDistribution } from '../../support/distribution.js';
import { findTool } from '../../support/tools.js';

/**
 * The same images pushed to our registry and to distribution 2.8 must be answered the same way for
 * every Accept combination clients send: status, digest, content type and error code.
 */
const dockerRegistry = findTool('docker-registry');

const ARTIFACTS: Record<string, BuiltArtifact> = {
  'oci-image': buildImage({ labels: { parity: 'oci' } }),
  'docker-image': buildImage({ format: 'docker', labels: { parity: 'docker' } }),
  'oci-index': buildMultiPlatformImage({ labels: { parity: 'oci-index' } }, ['linux/arm64', 'linux/amd64']),
  'docker-list': buildMultiPlatformImage({ format: 'docker' }, ['linux/arm64/v8', 'linux/amd64']),
};

const ACCEPTS: Record<string, string[]> = {
  all: [
    MEDIA_TYPES.ociIndex,
    MEDIA_TYPES.dockerManifestList,
    MEDIA_TYPES.ociManifest,
    MEDIA_TYPES.dockerManifest,
  ],
  'docker-v2-only': [MEDIA_TYPES.dockerManifest],
  'docker-v2+list': [MEDIA_TYPES.dockerManifest, MEDIA_TYPES.dockerManifestList],
  'oci-only': [MEDIA_TYPES.ociManifest, MEDIA_TYPES.ociIndex],
  'no-oci-index': [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest, MEDIA_TYPES.dockerManifestList],
};

interface Answer {
  status: number;
  digest: string | null;
  type: string | null;
  code?: string;
  message?: string;
}

async function ask(host: string, path: string, accept: string[], method: string): Promise<Answer> {
  const response = await fetch(`http://${host}/v2/${path}`, {
    method,
    headers: { Accept: accept.join(', ') },
  });
  const answer: Answer = {
    status: response.status,
    digest: response.headers.get('docker-content-digest'),
    type: response.status === 200 ? response.headers.get('content-type') : null,
  };
  if (method === 'GET' && response.status >= 400) {
    const body = (await response.json()) as { errors: { code: string; message: string }[] };
    answer.code = body.errors[0]?.code;
    answer.message = body.errors[0]?.message;
  } else {
    await response.arrayBuffer();
  }
  return answer;
}

describe.skipIf(!dockerRegistry)('content negotiation parity with distribution 2.8', () => {
  let ours: RunningRegistry;
  let theirs: Distribution;
  beforeAll(async () => {
    ours = await startRegistry();
    theirs = await startDistribution(dockerRegistry!);
    for (const [name, artifact] of Object.entries(ARTIFACTS)) {
      await pushImage(ours.url, `parity/${name}`, 'v1', artifact);
      await pushImage(`http://${theirs.host}`, `parity/${name}`, 'v1', artifact);
    }
  });
  afterAll(async () => {
    await Promise.all([ours?.close(), theirs?.stop()]);
  });

  const cases = Object.keys(ARTIFACTS).flatMap((artifact) =>
    Object.keys(ACCEPTS).flatMap((accept) => [
      { artifact, accept, by: 'tag' },
      { artifact, accept, by: 'digest' },
    ]),
  );

  it.each(cases)('$artifact by $by with Accept $accept', async ({ artifact, accept, by }) => {
    const ref = by === 'tag' ? 'v1' : ARTIFACTS[artifact]!.digest;
    for (const method of ['HEAD', 'GET']) {
      const path = `parity/${artifact}/manifests/${ref}`;
      const [mine, reference] = await Promise.all([
        ask(ours.host, path, ACCEPTS[accept]!, method),
        ask(theirs.host, path, ACCEPTS[accept]!, method),
      ]);
      if (reference.type === 'application/vnd.docker.distribution.manifest.v1+prettyjws') {
        // distribution 2.x converts schema 2 to signed schema 1 here; we answer as distribution 3 does:
        // a schema 2 manifest as stored, or MANIFEST_INVALID when it was reached through a list rewrite
        const viaList = artifact === 'docker-list';
        expect(mine.status).toBe(viaList ? 400 : 200);
        if (viaList && method === 'GET') expect(mine.code).toBe('MANIFEST_INVALID');
        continue;
      }
      expect(mine, `${method} ${path}`).toEqual(reference);
    }
  });

  it('answers unknown tags, digests and repositories with the same codes', async () => {
    const missing = 'sha256:0000000000000000000000000000000000000000000000000000000000000000';
    for (const path of [
      'parity/oci-image/manifests/nope',
      `parity/oci-image/manifests/${missing}`,
      `parity/oci-image/blobs/${missing}`,
      'parity/none/tags/list',
    ]) {
      const [mine, reference] = await Promise.all([
        ask(ours.host, path, ACCEPTS.all!, 'GET'),
        ask(theirs.host, path, ACCEPTS.all!, 'GET'),
      ]);
      expect({ status: mine.status, code: mine.code }, path).toEqual({
        status: reference.status,
        code: reference.code,
      });
    }
  });
});
