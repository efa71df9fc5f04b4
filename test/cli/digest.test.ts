import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFake } from '../adapters/registry/fake-registry.js';
import { runKubefresh } from '../support/cli.js';
import { type Distribution, startDistribution } from '../support/distribution.js';
import { type BuiltImage, skopeoPush, writeOciLayout } from '../support/oci-layout.js';
import { createTestPki } from '../support/test-pki.js';
import { findTool } from '../support/tools.js';

const registryBin = findTool('docker-registry');
const skopeo = findTool('skopeo');
const PASSWORD = 'cli-Pa55word-xyz';

describe('kubefresh digest: arguments', () => {
  it('shows examples in --help', async () => {
    const { code, stdout } = await runKubefresh(['digest', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('kubefresh digest --platform linux/arm64 nginx:1.27');
    expect(stdout).toContain('--insecure-registry <host>');
  });

  it('rejects a bad reference, platform or timeout as usage errors (exit 2)', async () => {
    const bad = await runKubefresh(['digest', 'Nginx:1.25']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('must be lowercase');
    const platform = await runKubefresh(['digest', '--platform', 'arm64', 'nginx']);
    expect(platform).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('error: invalid platform "arm64": expected os/arch or os/arch/variant'),
    });
    const timeout = await runKubefresh(['digest', '--timeout', 'soon', 'nginx']);
    expect(timeout).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        `argument 'soon' is invalid. expected a positive duration such as 30s, 500ms or 2m`,
      ),
    });
    const ca = await runKubefresh(['digest', '--registry-ca', '/nonexistent/ca.pem', 'nginx']);
    expect(ca).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('error: cannot read --registry-ca "/nonexistent/ca.pem": ENOENT'),
    });
  });
});

describe.skipIf(!registryBin || !skopeo)('kubefresh digest against distribution 2.8', () => {
  let open: Distribution;
  let locked: Distribution;
  let work: string;
  let image: BuiltImage;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'kubefresh-cli-digest-'));
    [open, locked] = await Promise.all([
      startDistribution(registryBin!),
      startDistribution(registryBin!, { htpasswd: { bob: PASSWORD } }),
    ]);
    image = writeOciLayout(join(work, 'img'), {
      tag: 'v1',
      platforms: ['linux/amd64', 'linux/arm64/v8'],
      label: 'cli',
    });
    await skopeoPush(skopeo!, join(work, 'img'), 'v1', `${open.host}/web/app:v1`);
    await skopeoPush(skopeo!, join(work, 'img'), 'v1', `${locked.host}/web/app:v1`, [
      '--dest-tls-verify=false',
      '--dest-creds',
      `bob:${PASSWORD}`,
    ]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), locked?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('prints the index digest of a tag', async () => {
    expect(await runKubefresh(['digest', `${open.host}/web/app:v1`])).toEqual({
      code: 0,
      stdout: `${image.digest}\n`,
      stderr: '',
    });
  });

  it('prints the platform child too with --platform', async () => {
    const arm = image.images.find((i) => i.platform === 'linux/arm64/v8')!;
    const { code, stdout } = await runKubefresh([
      'digest',
      '--platform',
      'linux/arm64',
      `${open.host}/web/app:v1`,
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${image.digest}\n${arm.digest}  linux/arm64\n`);
  });

  it('prints media type, index digest, platform digests and config digest with -o json', async () => {
    const amd = image.images.find((i) => i.platform === 'linux/amd64')!;
    const { code, stdout } = await runKubefresh([
      'digest',
      '-o',
      'json',
      '--platform',
      'linux/amd64',
      `${open.host}/web/app:v1`,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      {
        reference: `${open.host}/web/app:v1`,
        name: `${open.host}/web/app:v1`,
        digest: image.digest,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        index: {
          digest: image.digest,
          platforms: image.images.map((i) => ({
            platform: i.platform.replace('/v8', ''),
            digest: i.digest,
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            size: expect.any(Number),
          })),
        },
        image: {
          platform: 'linux/amd64',
          digest: amd.digest,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          configDigest: amd.configDigest,
        },
      },
    ]);
  });

  it('resolves several references, reports each failure and exits 3', async () => {
    const { code, stdout, stderr } = await runKubefresh([
      'digest',
      `${open.host}/web/app:v1`,
      `${open.host}/web/app:gone`,
    ]);
    expect(code).toBe(3);
    expect(stdout).toBe(`${open.host}/web/app:v1  ${image.digest}\n`);
    expect(stderr).toBe(
      `error: ${open.host}/web/app:gone: manifest "gone" not found in ${open.host}/web/app\nhint: check the tag for typos and that it was pushed; list the tags with: skopeo list-tags docker://${open.host}/web/app\n`,
    );
  });

  it('reports request counts and rate-limit state with -v', async () => {
    const { code, stderr } = await runKubefresh(['-v', 'digest', `${open.host}/web/app:v1`]);
    expect(code).toBe(0);
    expect(stderr).toBe('requests: HEAD 1\nrate limit: no RateLimit headers (not limited)\n');
  });

  it('logs in from $DOCKER_CONFIG and never prints the password', async () => {
    const configDir = join(work, 'docker');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({
        auths: { [locked.host]: { auth: Buffer.from(`bob:${PASSWORD}`).toString('base64') } },
      }),
    );
    const ok = await runKubefresh(['digest', `${locked.host}/web/app:v1`], {
      env: { DOCKER_CONFIG: configDir },
    });
    expect(ok).toEqual({ code: 0, stdout: `${image.digest}\n`, stderr: '' });
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({
        auths: { [locked.host]: { auth: Buffer.from('bob:wrong-Secret-1').toString('base64') } },
      }),
    );
    const bad = await runKubefresh(['-v', 'digest', '-o', 'json', `${locked.host}/web/app:v1`], {
      env: { DOCKER_CONFIG: configDir },
    });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain(
      `error: ${locked.host}/web/app:v1: registry ${locked.host} rejected the credentials for ${locked.host}/web/app (HTTP 401)`,
    );
    for (const secret of ['wrong-Secret-1', PASSWORD, Buffer.from('bob:wrong-Secret-1').toString('base64')]) {
      expect(bad.stdout + bad.stderr).not.toContain(secret);
    }
  });
});

describe('kubefresh digest over HTTPS with --registry-ca', () => {
  it('trusts the given CA, and explains the failure without it', async () => {
    const work = mkdtempSync(join(tmpdir(), 'kubefresh-cli-ca-'));
    const pki = createTestPki(join(work, 'pki'));
    const { readFileSync } = await import('node:fs');
    const digest = `sha256:${'d'.repeat(64)}`;
    const server = await serveFake(
      (req, res) => {
        if (req.url === '/v2/') return void res.end();
        res
          .writeHead(200, {
            'docker-content-digest': digest,
            'content-type': 'application/vnd.oci.image.manifest.v1+json',
          })
          .end();
      },
      { cert: readFileSync(pki.server.cert, 'utf8'), key: readFileSync(pki.server.key, 'utf8') },
    );
    try {
      const ok = await runKubefresh(['digest', '--registry-ca', pki.caCert, `${server.host}/app:1`]);
      expect(ok).toEqual({ code: 0, stdout: `${digest}\n`, stderr: '' });
      const untrusted = await runKubefresh(['digest', `${server.host}/app:1`]);
      expect(untrusted.code).toBe(3);
      expect(untrusted.stderr).toContain(
        `hint: pass the registry's CA certificate with --registry-ca FILE, or --insecure-registry ${server.host} to skip verification`,
      );
    } finally {
      await server.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
