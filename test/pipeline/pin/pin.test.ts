import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  RegistryClient,
  type RegistryClientOptions,
  staticCredentials,
} from '../../../src/adapters/registry/index.js';
import { formatLock, parseLock } from '../../../src/core/lock/index.js';
import { checkPinned, type PinInput, pinManifests } from '../../../src/pipeline/pin/index.js';
import { buildImage, pushImage } from '../../../src/sim/images/index.js';
import { startRegistry } from '../../../src/sim/registry/index.js';
import { freePort } from '../../support/distribution.js';
import { type PinRegistry, startPinRegistry } from './support.js';

let pin: PinRegistry;
let host: string;
const clients: RegistryClient[] = [];

beforeAll(async () => {
  pin = await startPinRegistry();
  host = pin.reg.host;
});
afterAll(() => pin.close());
afterEach(async () => {
  pin.reg.registry.faults.clear();
  pin.reg.registry.log.reset();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function client(options: RegistryClientOptions = {}): RegistryClient {
  const c = new RegistryClient({ retries: 0, ...options });
  clients.push(c);
  return c;
}

function pod(name: string, ...images: string[]): string {
  const containers = images.map((image, i) => `  - name: c${i}\n    image: ${image}\n`).join('');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n${containers}`;
}

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('pinManifests', () => {
  it('pins a multi-platform tag to its index digest, with HEAD requests only', async () => {
    const result = await pinManifests([{ source: 'p.yaml', text: pod('p', `${host}/app:v1`) }], {
      registry: client(),
    });
    expect(result.failures).toEqual([]);
    expect(result.files[0]!.text).toBe(pod('p', `${host}/app:v1@${pin.digests['app:v1']}`));
    expect(result.files[0]!.changes).toEqual([
      {
        source: 'p.yaml',
        line: 8,
        column: 12,
        from: `${host}/app:v1`,
        to: `${host}/app:v1@${pin.digests['app:v1']}`,
      },
    ]);
    expect(pin.reg.registry.log.count({ kind: 'manifest', method: 'GET' })).toBe(0);
    expect(pin.reg.registry.log.count({ kind: 'manifest', method: 'HEAD' })).toBe(1);
  });

  it('resolves each distinct tag once, whatever the spelling and the number of places', async () => {
    const inputs: PinInput[] = [
      { source: 'a.yaml', text: pod('a', `${host}/app:v1`, `${host}/app:v1`, `${host}/app:v2`) },
      { source: 'b.yaml', text: pod('b', `${host}/app:v1`, `${host}/web`, `${host}/web:latest`) },
    ];
    const result = await pinManifests(inputs, { registry: client() });
    expect(result.failures).toEqual([]);
    expect(result.files.flatMap((f) => f.changes)).toHaveLength(6);
    expect(result.lookups).toEqual({ resolved: 3, verified: 0 });
    expect(pin.reg.registry.log.count({ kind: 'manifest', method: 'HEAD' })).toBe(3);
  });

  it('resolves tags concurrently', async () => {
    const image = buildImage({ labels: { many: 'yes' } });
    const tags = Array.from({ length: 12 }, (_, i) => `t${i}`);
    for (const tag of tags) await pushImage(pin.reg.registry, 'many', tag, image);
    pin.reg.registry.faults.add({ match: { kind: 'manifest' }, latencyMs: 150 });
    const started = Date.now();
    const result = await pinManifests(
      [{ source: 'm.yaml', text: pod('m', ...tags.map((t) => `${host}/many:${t}`)) }],
      {
        registry: client(),
      },
    );
    expect(result.failures).toEqual([]);
    // Twelve lookups one after another would take at least 1.8 s.
    expect(Date.now() - started).toBeLessThan(1200);
  });

  it('checks an already pinned image by its digest and leaves the text alone', async () => {
    const text = pod('p', `${host}/app:v1@${pin.digests['app:v1']}`, `${host}/app@${pin.digests['app:v2']}`);
    const result = await pinManifests([{ source: 'p.yaml', text }], { registry: client() });
    expect(result.failures).toEqual([]);
    expect(result.files[0]!.text).toBe(text);
    expect(result.lookups).toEqual({ resolved: 0, verified: 2 });
    const references = pin.reg.registry.log.records
      .filter((r) => r.kind === 'manifest')
      .map((r) => r.reference);
    expect(references.sort()).toEqual([pin.digests['app:v1'], pin.digests['app:v2']].sort());
  });

  it('reports a pinned digest the registry does not have', async () => {
    const missing = `sha256:${'0'.repeat(64)}`;
    const result = await pinManifests([{ source: 'p.yaml', text: pod('p', `${host}/app:v1@${missing}`) }], {
      registry: client(),
    });
    expect(result.failures).toMatchObject([
      { source: 'p.yaml', line: 8, column: 12, class: 'not found', code: 'REGISTRY_NOT_FOUND' },
    ]);
  });

  it('with refresh, moves a pinned digest to what the tag names now', async () => {
    const stale = pod('p', `${host}/app:v1@${pin.digests['app:v2']}`);
    const kept = await pinManifests([{ source: 'p.yaml', text: stale }], { registry: client() });
    expect(kept.files[0]!.text).toBe(stale);
    const refreshed = await pinManifests([{ source: 'p.yaml', text: stale }], {
      registry: client(),
      refresh: true,
    });
    expect(refreshed.files[0]!.text).toBe(pod('p', `${host}/app:v1@${pin.digests['app:v1']}`));
  });

  it('records each resolved tag in a lock, and pins the same text from it without a registry', async () => {
    const inputs: PinInput[] = [
      { source: 'a.yaml', text: pod('a', `${host}/app:v1`, `${host}/tools/busybox:1.36`) },
    ];
    const online = await pinManifests(inputs, { registry: client(), now: () => NOW });
    expect(Object.fromEntries(online.lock.images)).toEqual({
      [`${host}/app:v1`]: {
        digest: pin.digests['app:v1'],
        mediaType: 'application/vnd.oci.image.index.v1+json',
        resolvedAt: '2025-03-01T12:00:00.000Z',
      },
      [`${host}/tools/busybox:1.36`]: {
        digest: pin.digests['tools/busybox:1.36'],
        mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
        resolvedAt: '2025-03-01T12:00:00.000Z',
      },
    });
    const lock = parseLock(formatLock(online.lock), 'lock.json');
    const offline = await pinManifests(inputs, { fromLock: lock });
    expect(offline.files[0]!.text).toBe(online.files[0]!.text);
    expect(offline.lookups).toEqual({ resolved: 0, verified: 0 });

    const more = await pinManifests([{ source: 'b.yaml', text: pod('b', `${host}/app:v2`) }], {
      fromLock: lock,
    });
    expect(more.failures).toMatchObject([
      {
        source: 'b.yaml',
        line: 8,
        column: 12,
        class: 'not in lock',
        message: `${host}/app:v2 is not in the lock file`,
      },
    ]);
  });

  it('keeps pinning what resolves and names every failure with its place', async () => {
    const text = pod('p', `${host}/app:v1`, `${host}/app:nope`, `${host}/ghost:v1`, 'Bad:Ref');
    const result = await pinManifests([{ source: 'p.yaml', text }], { registry: client() });
    expect(result.failures).toMatchObject([
      { line: 10, column: 12, image: `${host}/app:nope`, class: 'not found' },
      { line: 12, column: 12, image: `${host}/ghost:v1`, class: 'not found' },
      { line: 14, column: 12, image: 'Bad:Ref', class: 'invalid reference', code: 'REF_NOT_LOWERCASE' },
    ]);
    expect(result.failures[0]!.message).toBe(`manifest "nope" not found in ${host}/app`);
    // The text pins what resolved; callers decide whether to write it.
    expect(result.files[0]!.text).toContain(`${host}/app:v1@${pin.digests['app:v1']}`);
    expect(result.files[0]!.text).toContain(`image: ${host}/app:nope\n`);
  });

  it('reports YAML problems with their position and pins the other documents', async () => {
    const text = `${pod('ok', `${host}/app:v1`)}---\nkind: Pod\nkind: Pod\n`;
    const result = await pinManifests([{ source: 'y.yaml', text }], { registry: client() });
    expect(result.failures).toMatchObject([
      {
        source: 'y.yaml',
        line: 11,
        column: 1,
        class: 'invalid yaml',
        code: 'DUPLICATE_KEY',
        image: undefined,
      },
    ]);
    expect(result.files[0]!.changes).toHaveLength(1);
  });

  it('classifies what the registry answered: unauthorized, denied, rate limited, unreachable', async () => {
    const locked = await startRegistry({
      auth: { type: 'basic', users: { alice: 's3cret' }, deny: ['secret/app'] },
    });
    await pushImage(locked.registry, 'app', 'v1', buildImage());
    await pushImage(locked.registry, 'secret/app', 'v1', buildImage());
    const closedPort = await freePort();
    try {
      pin.reg.registry.faults.add({
        match: { repository: 'app', reference: 'v2' },
        status: 429,
        retryAfter: 1,
      });
      const text = pod('p', `${locked.host}/app:v1`, `${host}/app:v2`, `127.0.0.1:${closedPort}/app:v1`);
      const anonymous = await pinManifests([{ source: 'p.yaml', text }], { registry: client() });
      expect(anonymous.failures.map((f) => [f.line, f.class])).toEqual([
        [8, 'unauthorized'],
        [10, 'rate limited'],
        [12, 'unreachable'],
      ]);

      const withLogin = client({
        credentials: staticCredentials({
          [locked.host]: { kind: 'basic', username: 'alice', password: 's3cret' },
        }),
      });
      const denied = await pinManifests(
        [{ source: 'd.yaml', text: pod('d', `${locked.host}/secret/app:v1`) }],
        {
          registry: withLogin,
        },
      );
      expect(denied.failures).toMatchObject([{ class: 'denied', code: 'REGISTRY_DENIED' }]);
      expect(JSON.stringify(denied.failures)).not.toContain('s3cret');
    } finally {
      await locked.close();
    }
  });
});

describe('checkPinned', () => {
  it('lists images without a digest, offline', () => {
    const text = pod(
      'p',
      `${host}/app:v1`,
      `${host}/app:v1@${pin.digests['app:v1']}`,
      `${host}/app@${pin.digests['app:v2']}`,
    );
    const result = checkPinned([{ source: 'p.yaml', text }]);
    expect(result.pinned).toBe(2);
    expect(result.unpinned).toMatchObject([
      {
        source: 'p.yaml',
        line: 8,
        column: 12,
        image: `${host}/app:v1`,
        state: 'unpinned',
        workload: 'Pod/p',
        container: 'c0',
      },
    ]);
  });
});
