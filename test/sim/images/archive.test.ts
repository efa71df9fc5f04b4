import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  buildMultiPlatformImage,
  dockerArchive,
  ociArchive,
  writeOciLayout,
} from '../../../src/sim/images/index.js';
import { findTool } from '../../support/tools.js';

const skopeo = findTool('skopeo');
const image = buildImage({ labels: { kind: 'archived' } });
const multi = buildMultiPlatformImage({}, ['linux/amd64', 'linux/arm64']);
let dir: string;

function inspect(ref: string, raw = false): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(skopeo!, ['inspect', ...(raw ? ['--raw'] : []), ref], (error, stdout, stderr) =>
      error ? reject(new Error(stderr)) : resolve(stdout),
    );
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubefresh-archive-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('OCI layout', () => {
  it('writes oci-layout, index.json naming the image, and every blob', () => {
    writeOciLayout(join(dir, 'layout'), multi, { name: 'docker.io/library/app:v1' });
    expect(JSON.parse(readFileSync(join(dir, 'layout', 'oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });
    const index = JSON.parse(readFileSync(join(dir, 'layout', 'index.json'), 'utf8')) as {
      manifests: unknown[];
    };
    expect(index.manifests).toEqual([
      {
        mediaType: multi.mediaType,
        digest: multi.digest,
        size: multi.size,
        annotations: {
          'io.containerd.image.name': 'docker.io/library/app:v1',
          'org.opencontainers.image.ref.name': 'v1',
        },
      },
    ]);
    for (const child of multi.manifests) {
      expect(readFileSync(join(dir, 'layout', 'blobs', 'sha256', child.config.digest.slice(7)))).toEqual(
        child.config.bytes,
      );
    }
  });

  it.skipIf(!skopeo)('is read by skopeo as a directory and as an oci-archive, labels included', async () => {
    writeOciLayout(join(dir, 'single'), image, { name: 'app:v1' });
    const fromDir = JSON.parse(await inspect(`oci:${join(dir, 'single')}:v1`)) as {
      Labels: Record<string, string>;
      Digest: string;
    };
    expect(fromDir).toMatchObject({ Labels: { kind: 'archived' }, Digest: image.digest });
    writeFileSync(join(dir, 'single.tar'), ociArchive(image, { name: 'app:v1' }));
    const fromTar = JSON.parse(await inspect(`oci-archive:${join(dir, 'single.tar')}:v1`)) as {
      Digest: string;
    };
    expect(fromTar.Digest).toBe(image.digest);
  });
});

describe.skipIf(!skopeo)('docker archive', () => {
  it('is read by skopeo as docker-archive with the same config (and so the same labels)', async () => {
    writeFileSync(join(dir, 'docker.tar'), dockerArchive(image, { name: 'docker.io/library/app:v1' }));
    const info = JSON.parse(await inspect(`docker-archive:${join(dir, 'docker.tar')}`)) as {
      Labels: Record<string, string>;
      RepoTags: string[];
    };
    expect(info.Labels).toEqual({ kind: 'archived' });
    const config = JSON.parse(await inspect(`docker-archive:${join(dir, 'docker.tar')}`, true)) as {
      config: { digest: string };
    };
    expect(config.config.digest).toBe(image.config.digest);
  });

  it('archives the linux/amd64 child of an index', async () => {
    writeFileSync(join(dir, 'multi.tar'), dockerArchive(multi, { name: 'docker.io/library/multi:v1' }));
    const info = JSON.parse(await inspect(`docker-archive:${join(dir, 'multi.tar')}`)) as {
      Architecture: string;
    };
    expect(info.Architecture).toBe('amd64');
  });
});
