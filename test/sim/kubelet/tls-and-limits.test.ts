import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../src/sim/clock.js';
import { startKubelet } from '../../../src/sim/kubelet/index.js';
import { ObjectStore } from '../../../src/sim/store/index.js';
import { findTool } from '../../support/tools.js';
import { appImage, startTestCluster, type TestCluster } from './support/cluster.js';

let cluster: TestCluster | undefined;
let server: Server | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const openssl = findTool('openssl');

function selfSigned(name: string): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kubefresh-tls-'));
  try {
    execFileSync(
      openssl!,
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
        '-addext',
        `subjectAltName=DNS:${name}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pullError = async (c: TestCluster, pod: string) =>
  (await c.seen(pod, (s) => s.state?.waiting?.reason === 'ErrImagePull', `${pod} ErrImagePull`)).state.waiting
    .message as string;

describe('TLS to registries', () => {
  it.skipIf(!openssl)(
    'an untrusted certificate is an x509 error; a configured CA makes it work',
    async () => {
      const tls = selfSigned('registry.sim');
      cluster = await startTestCluster({
        hostAliases: { 'registry.sim': '127.0.0.1', 'other.sim': '127.0.0.1' },
        registriesFor: () => ({}),
      });
      const c = cluster;
      server = createServer({ key: tls.key, cert: tls.cert }, c.registry.registry.handler);
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      c.push('app', 'v1', appImage());

      c.pod('untrusted', 'k3s-server', { image: `registry.sim:${port}/app:v1` });
      expect(await pullError(c, 'untrusted')).toBe(
        `failed to pull and unpack image "registry.sim:${port}/app:v1": failed to resolve reference "registry.sim:${port}/app:v1": failed to do request: Head "https://registry.sim:${port}/v2/app/manifests/v1": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
      );

      // The same cluster, with the CA in registries.yaml `configs.<host>.tls` on a fresh kubelet.
      const clock = new ScaledClock(200);
      const store = new ObjectStore(clock);
      const kubelet = await startKubelet({
        store,
        clock,
        node: { name: 'k3s-server', role: 'server', index: 0 },
        network: { hostAliases: { 'registry.sim': '127.0.0.1', 'other.sim': '127.0.0.1' } },
        registries: {
          configs: {
            [`registry.sim:${port}`]: { tls: { ca: tls.cert } },
            [`other.sim:${port}`]: { tls: { ca: tls.cert } },
          },
        },
      });
      try {
        const pod = (name: string, image: string) =>
          store.create('pods', {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name, namespace: 'default' },
            spec: { nodeName: 'k3s-server', containers: [{ name: 'app', image }] },
          });
        const status = (name: string) =>
          (
            store.get('pods', 'default', name)?.status as
              | { containerStatuses?: { state?: { running?: unknown; waiting?: { message?: string } } }[] }
              | undefined
          )?.containerStatuses?.[0];
        pod('trusted', `registry.sim:${port}/app:v1`);
        pod('wrongname', `other.sim:${port}/app:v1`);
        await c.until(() => status('trusted')?.state?.running, 'trusted pod running');
        const mismatch = await c.until(() => status('wrongname')?.state?.waiting?.message, 'mismatch');
        expect(mismatch).toContain(
          'tls: failed to verify certificate: x509: certificate is valid for registry.sim, not other.sim',
        );
      } finally {
        kubelet.stop();
      }
    },
  );
});

describe('registry rate limits', () => {
  it('429 on the manifest HEAD surfaces as containerd reports it, then back-off', async () => {
    cluster = await startTestCluster();
    const c = cluster;
    const reg = `localhost:${c.registry.port}`;
    c.push('app', 'v1', appImage());
    c.registry.registry.faults.add({
      match: { method: 'HEAD', kind: 'manifest' },
      status: 429,
      message: 'You have reached your pull rate limit.',
    });
    c.pod('limited', 'k3s-server', { image: `${reg}/app:v1` });
    expect(await pullError(c, 'limited')).toBe(
      `failed to pull and unpack image "${reg}/app:v1": failed to resolve reference "${reg}/app:v1": unexpected status from HEAD request to http://${reg}/v2/app/manifests/v1: 429 Too Many Requests`,
    );
    await c.until(() => c.container('limited')?.state?.waiting?.reason === 'ImagePullBackOff', 'back-off');
  });
});
