import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT } from '../../../src/core/oci/index.js';
import { buildImage, buildMultiPlatformImage, pushImage } from '../../../src/sim/images/index.js';
import { type Distribution, startDistribution } from '../../support/distribution.js';
import { findTool } from '../../support/tools.js';

const dockerRegistry = findTool('docker-registry');
const PASSWORD = 'dist-Pa55';

async function headDigest(host: string, path: string, auth?: string): Promise<string | null> {
  const response = await fetch(`http://${host}/v2/${path}`, {
    method: 'HEAD',
    headers: { Accept: MANIFEST_ACCEPT.join(','), ...(auth ? { Authorization: auth } : {}) },
  });
  return response.headers.get('docker-content-digest');
}

describe.skipIf(!dockerRegistry)('pushImage to the reference registry (distribution 2.8)', () => {
  let open: Distribution;
  let secured: Distribution;
  beforeAll(async () => {
    [open, secured] = await Promise.all([
      startDistribution(dockerRegistry!),
      startDistribution(dockerRegistry!, { htpasswd: { carol: PASSWORD } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), secured?.stop()]);
  });

  it('pushes a single image and a multi-platform index; distribution serves our digests', async () => {
    const image = buildImage({ labels: { to: 'distribution' } });
    const index = buildMultiPlatformImage({ format: 'docker' }, ['linux/amd64', 'linux/arm64']);
    await pushImage(`http://${open.host}`, 'sim/app', 'v1', image);
    await pushImage(`http://${open.host}`, 'sim/multi', 'v1', index);
    expect(await headDigest(open.host, 'sim/app/manifests/v1')).toBe(image.digest);
    expect(await headDigest(open.host, 'sim/multi/manifests/v1')).toBe(index.digest);
    for (const child of index.manifests) {
      expect(await headDigest(open.host, `sim/multi/manifests/${child.digest}`)).toBe(child.digest);
    }
  });

  it('answers htpasswd Basic auth with credentials, and fails without them naming the registry', async () => {
    const image = buildImage();
    await pushImage(`http://${secured.host}`, 'sim/private', 'v1', image, {
      credentials: { username: 'carol', password: PASSWORD },
    });
    const auth = `Basic ${Buffer.from(`carol:${PASSWORD}`).toString('base64')}`;
    expect(await headDigest(secured.host, 'sim/private/manifests/v1', auth)).toBe(image.digest);
    const failure = pushImage(`http://${secured.host}`, 'sim/private', 'v2', image);
    await expect(failure).rejects.toMatchObject({ code: 'SIM_PUSH_FAILED' });
    await expect(failure).rejects.toThrow(`pushing sim/private:v2 to http://${secured.host}`);
  });

  it('reports an unreachable registry as SIM_PUSH_FAILED', async () => {
    await expect(pushImage('http://127.0.0.1:1', 'sim/app', 'v1', buildImage())).rejects.toMatchObject({
      code: 'SIM_PUSH_FAILED',
    });
  });
});
