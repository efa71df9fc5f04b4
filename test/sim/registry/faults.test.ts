import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT } from '../../../src/core/oci/index.js';
import { buildImage, pushImage } from '../../../src/sim/images/index.js';
import { type RunningRegistry, startRegistry } from '../../../src/sim/registry/index.js';

let reg: RunningRegistry;
const image = buildImage({ labels: { fault: 'test' } });
const head = (repo: string, ref = 'v1') =>
  fetch(`${reg.url}/v2/${repo}/manifests/${ref}`, {
    method: 'HEAD',
    headers: { Accept: MANIFEST_ACCEPT.join(',') },
  });

beforeAll(async () => {
  reg = await startRegistry();
  await pushImage(reg.registry, 'app', 'v1', image);
  await pushImage(reg.registry, 'other', 'v1', image);
});
afterAll(async () => {
  await reg.close();
});
beforeEach(() => {
  reg.registry.faults.clear();
  reg.registry.log.reset();
});

describe('fault injection', () => {
  it('answers 429 TOOMANYREQUESTS with Retry-After, then recovers after `times`', async () => {
    const handle = reg.registry.faults.add({
      match: { kind: 'manifest' },
      status: 429,
      retryAfter: 7,
      times: 2,
    });
    const first = await fetch(`${reg.url}/v2/app/manifests/v1`, {
      headers: { Accept: MANIFEST_ACCEPT.join(',') },
    });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await first.json()).toEqual({
      errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests' }],
    });
    expect((await head('app')).status).toBe(429);
    expect((await head('app')).status).toBe(200);
    expect(handle.hits).toBe(2);
  });

  it('applies only to the matching repository and method', async () => {
    reg.registry.faults.add({ match: { repository: 'app', method: 'HEAD' }, status: 503 });
    expect((await head('app')).status).toBe(503);
    expect((await head('other')).status).toBe(200);
    const get = await fetch(`${reg.url}/v2/app/manifests/v1`, {
      headers: { Accept: MANIFEST_ACCEPT.join(',') },
    });
    expect(get.status).toBe(200);
  });

  it('answers 5xx with the given status and a distribution error body', async () => {
    reg.registry.faults.add({
      match: { repository: /^app$/ },
      status: 500,
      message: 'storage backend exploded',
    });
    const response = await fetch(`${reg.url}/v2/app/tags/list`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      errors: [{ code: 'UNKNOWN', message: 'storage backend exploded' }],
    });
  });

  it('drops the connection without an answer', async () => {
    reg.registry.faults.add({ match: { kind: 'manifest' }, drop: true, times: 1 });
    await expect(head('app')).rejects.toThrow(/fetch failed/);
    expect((await head('app')).status).toBe(200);
    expect(reg.registry.log.count({ kind: 'manifest', status: 0 })).toBe(1);
  });

  it('delays answers by latencyMs', async () => {
    reg.registry.faults.add({ match: { kind: 'manifest' }, latencyMs: 150 });
    const started = performance.now();
    expect((await head('app')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('omits Docker-Content-Digest like an old registry while still serving the manifest', async () => {
    reg.registry.faults.add({ match: { repository: 'app' }, omitDigest: true });
    const response = await head('app');
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBeNull();
    expect((await head('other')).headers.get('docker-content-digest')).toBe(image.digest);
  });

  it('adds extra headers such as RateLimit-* to matching answers', async () => {
    reg.registry.faults.add({ match: { method: 'GET' }, headers: { 'RateLimit-Remaining': '76;w=21600' } });
    const response = await fetch(`${reg.url}/v2/app/manifests/v1`, {
      headers: { Accept: MANIFEST_ACCEPT.join(',') },
    });
    expect(response.headers.get('ratelimit-remaining')).toBe('76;w=21600');
  });

  it('stops when the handle is removed', async () => {
    const handle = reg.registry.faults.add({ status: 502 });
    expect((await head('app')).status).toBe(502);
    handle.remove();
    expect((await head('app')).status).toBe(200);
  });
});

describe('request log', () => {
  it('counts requests by method and by kind', async () => {
    await head('app');
    await head('other');
    await fetch(`${reg.url}/v2/app/manifests/v1`, { headers: { Accept: MANIFEST_ACCEPT.join(',') } });
    await fetch(`${reg.url}/v2/app/manifests/nope`, { method: 'HEAD' });
    expect(reg.registry.log.byMethod()).toEqual({ HEAD: 3, GET: 1 });
    expect(reg.registry.log.count({ method: 'HEAD', repository: 'app' })).toBe(2);
    expect(reg.registry.log.count({ status: 404 })).toBe(1);
    expect(reg.registry.log.records[0]).toMatchObject({ method: 'HEAD', kind: 'manifest', reference: 'v1' });
  });

  it('shows that pushImage checks blobs with HEAD before uploading them', async () => {
    await pushImage(reg.url, 'fresh', 'v1', image);
    const first = reg.registry.log.byMethod();
    expect(first).toMatchObject({ HEAD: 2, POST: 2, PUT: 3 });
    reg.registry.log.reset();
    await pushImage(reg.url, 'fresh', 'v2', image);
    expect(reg.registry.log.byMethod()).toEqual({ HEAD: 2, PUT: 1 });
  });
});
