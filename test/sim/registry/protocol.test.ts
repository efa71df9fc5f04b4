import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT, MEDIA_TYPES } from '../../../src/core/oci/index.js';
import { buildImage, buildMultiPlatformImage, pushImage } from '../../../src/sim/images/index.js';
import { type RunningRegistry, sha256Digest, startRegistry } from '../../../src/sim/registry/index.js';

let reg: RunningRegistry;
const ALL = MANIFEST_ACCEPT.join(', ');

beforeAll(async () => {
  reg = await startRegistry();
});
afterAll(async () => {
  await reg.close();
});

async function errorsOf(response: Response): Promise<{ code: string; message: string }[]> {
  return ((await response.json()) as { errors: { code: string; message: string }[] }).errors;
}

describe('ping and errors', () => {
  it('answers /v2/ with 200 and the API version header', async () => {
    const response = await fetch(`${reg.url}/v2/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });

  it('answers an unknown tag with MANIFEST_UNKNOWN in the OCI error body', async () => {
    const response = await fetch(`${reg.url}/v2/nothing/here/manifests/v9`, { headers: { Accept: ALL } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await errorsOf(response)).toMatchObject([
      { code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' },
    ]);
  });

  it('answers HEAD for a missing manifest with 404 and no body', async () => {
    const response = await fetch(`${reg.url}/v2/nothing/manifests/v1`, { method: 'HEAD' });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it('rejects invalid repository names with NAME_INVALID', async () => {
    const response = await fetch(`${reg.url}/v2/Upper/Case/manifests/v1`);
    expect(response.status).toBe(400);
    expect(await errorsOf(response)).toMatchObject([{ code: 'NAME_INVALID' }]);
  });

  it('answers tags/list of an unknown repository with NAME_UNKNOWN', async () => {
    const response = await fetch(`${reg.url}/v2/ghost/tags/list`);
    expect(response.status).toBe(404);
    expect(await errorsOf(response)).toMatchObject([{ code: 'NAME_UNKNOWN' }]);
  });
});

describe('blob uploads', () => {
  const data = Buffer.from('hello, layer');
  const digest = sha256Digest(data);

  it('takes a monolithic upload (POST ?digest=) and serves it back with Docker-Content-Digest', async () => {
    const post = await fetch(`${reg.url}/v2/blobs/mono/blobs/uploads/?digest=${digest}`, {
      method: 'POST',
      body: data,
    });
    expect(post.status).toBe(201);
    expect(post.headers.get('docker-content-digest')).toBe(digest);
    const head = await fetch(`${reg.url}/v2/blobs/mono/blobs/${digest}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(data.length));
    expect(head.headers.get('docker-content-digest')).toBe(digest);
    const get = await fetch(`${reg.url}/v2/blobs/mono/blobs/${digest}`);
    expect(Buffer.from(await get.arrayBuffer())).toEqual(data);
  });

  it('takes a chunked upload (POST, PATCH, PATCH, PUT) and reports progress in Range', async () => {
    const start = await fetch(`${reg.url}/v2/blobs/chunked/blobs/uploads/`, { method: 'POST' });
    expect(start.status).toBe(202);
    expect(start.headers.get('docker-upload-uuid')).toBeTruthy();
    let location = start.headers.get('location')!;
    const first = await fetch(location, {
      method: 'PATCH',
      body: data.subarray(0, 5),
      headers: { 'Content-Range': '0-4', 'Content-Type': 'application/octet-stream' },
    });
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-4');
    location = first.headers.get('location')!;
    const outOfOrder = await fetch(location, {
      method: 'PATCH',
      body: data.subarray(7),
      headers: { 'Content-Range': '7-11' },
    });
    expect(outOfOrder.status).toBe(416);
    const second = await fetch(location, { method: 'PATCH', body: data.subarray(5) });
    expect(second.headers.get('range')).toBe(`0-${data.length - 1}`);
    const status = await fetch(location);
    expect(status.status).toBe(204);
    const put = await fetch(`${location}?digest=${digest}`, { method: 'PUT' });
    expect(put.status).toBe(201);
    expect(put.headers.get('location')).toMatch(new RegExp(`/v2/blobs/chunked/blobs/${digest}$`));
    const gone = await fetch(location);
    expect(await errorsOf(gone)).toMatchObject([{ code: 'BLOB_UPLOAD_UNKNOWN' }]);
  });

  it('rejects a digest that does not match the bytes with DIGEST_INVALID and stores nothing', async () => {
    const wrong = sha256Digest('something else');
    const post = await fetch(`${reg.url}/v2/blobs/bad/blobs/uploads/?digest=${wrong}`, {
      method: 'POST',
      body: data,
    });
    expect(post.status).toBe(400);
    expect(await errorsOf(post)).toMatchObject([{ code: 'DIGEST_INVALID' }]);
    expect((await fetch(`${reg.url}/v2/blobs/bad/blobs/${wrong}`, { method: 'HEAD' })).status).toBe(404);
  });

  it('keeps blobs per repository: unknown elsewhere until mounted', async () => {
    const elsewhere = await fetch(`${reg.url}/v2/blobs/other/blobs/${digest}`);
    expect(elsewhere.status).toBe(404);
    expect(await errorsOf(elsewhere)).toMatchObject([{ code: 'BLOB_UNKNOWN' }]);
    const mount = await fetch(`${reg.url}/v2/blobs/other/blobs/uploads/?mount=${digest}&from=blobs/mono`, {
      method: 'POST',
    });
    expect(mount.status).toBe(201);
    expect((await fetch(`${reg.url}/v2/blobs/other/blobs/${digest}`, { method: 'HEAD' })).status).toBe(200);
  });

  it('serves byte ranges of a blob', async () => {
    const response = await fetch(`${reg.url}/v2/blobs/mono/blobs/${digest}`, {
      headers: { Range: 'bytes=7-' },
    });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 7-11/${data.length}`);
    expect(await response.text()).toBe('layer');
    const bad = await fetch(`${reg.url}/v2/blobs/mono/blobs/${digest}`, { headers: { Range: 'bytes=99-' } });
    expect(bad.status).toBe(416);
  });
});

describe('manifests and content negotiation', () => {
  const single = buildImage({ labels: { version: 'v1' } });
  const ociIndex = buildMultiPlatformImage({ labels: { version: 'multi' } }, [
    'linux/amd64',
    'linux/arm64/v8',
  ]);
  const dockerList = buildMultiPlatformImage({ format: 'docker' }, ['linux/arm64', 'linux/amd64']);

  beforeAll(async () => {
    await pushImage(reg.url, 'neg/single', 'v1', single);
    await pushImage(reg.url, 'neg/oci', 'v1', ociIndex);
    await pushImage(reg.url, 'neg/docker', 'v1', dockerList);
  });

  it('HEAD by tag answers the digest of the exact bytes pushed, with length and type', async () => {
    const response = await fetch(`${reg.url}/v2/neg/single/manifests/v1`, {
      method: 'HEAD',
      headers: { Accept: ALL },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(single.digest);
    expect(response.headers.get('content-length')).toBe(String(single.size));
    expect(response.headers.get('content-type')).toBe(MEDIA_TYPES.ociManifest);
  });

  it('GET by digest returns bytes that hash to the digest', async () => {
    const response = await fetch(`${reg.url}/v2/neg/single/manifests/${single.digest}`, {
      headers: { Accept: ALL },
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(sha256Digest(bytes)).toBe(single.digest);
    expect(response.headers.get('etag')).toBe(`"${single.digest}"`);
  });

  it('answers If-None-Match with the current digest by 304', async () => {
    const response = await fetch(`${reg.url}/v2/neg/single/manifests/v1`, {
      headers: { Accept: ALL, 'If-None-Match': `"${single.digest}"` },
    });
    expect(response.status).toBe(304);
  });

  it('serves an OCI index with the index digest when the index type is accepted', async () => {
    const response = await fetch(`${reg.url}/v2/neg/oci/manifests/v1`, {
      method: 'HEAD',
      headers: { Accept: ALL },
    });
    expect(response.headers.get('docker-content-digest')).toBe(ociIndex.digest);
    expect(response.headers.get('content-type')).toBe(MEDIA_TYPES.ociIndex);
  });

  it('answers an OCI index requested without its type with 404 and distribution message', async () => {
    const accept = [MEDIA_TYPES.dockerManifest, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifestList].join(
      ',',
    );
    const response = await fetch(`${reg.url}/v2/neg/oci/manifests/v1`, { headers: { Accept: accept } });
    expect(response.status).toBe(404);
    expect(await errorsOf(response)).toEqual([
      {
        code: 'MANIFEST_UNKNOWN',
        message: 'OCI index found, but accept header does not support OCI indexes',
      },
    ]);
  });

  it('rewrites a Docker manifest list fetched by tag without the list type to its linux/amd64 child', async () => {
    const amd64 = dockerList.manifests.find((m) => m.platform.architecture === 'amd64')!;
    const response = await fetch(`${reg.url}/v2/neg/docker/manifests/v1`, {
      method: 'HEAD',
      headers: { Accept: MEDIA_TYPES.dockerManifest },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(amd64.digest);
    expect(response.headers.get('docker-content-digest')).not.toBe(dockerList.digest);
    const full = await fetch(`${reg.url}/v2/neg/docker/manifests/v1`, {
      method: 'HEAD',
      headers: { Accept: ALL },
    });
    expect(full.headers.get('docker-content-digest')).toBe(dockerList.digest);
  });

  it('never rewrites a manifest list fetched by digest', async () => {
    const response = await fetch(`${reg.url}/v2/neg/docker/manifests/${dockerList.digest}`, {
      headers: { Accept: MEDIA_TYPES.dockerManifest },
    });
    expect(response.headers.get('docker-content-digest')).toBe(dockerList.digest);
  });

  it('accepts Accept as several headers and with parameters', async () => {
    const headers = new Headers();
    headers.append('Accept', `${MEDIA_TYPES.ociIndex}; q=0.9`);
    headers.append('Accept', MEDIA_TYPES.ociManifest);
    const response = await fetch(`${reg.url}/v2/neg/oci/manifests/v1`, { method: 'HEAD', headers });
    expect(response.headers.get('docker-content-digest')).toBe(ociIndex.digest);
  });

  it('rejects a manifest whose blobs were never pushed with MANIFEST_BLOB_UNKNOWN', async () => {
    const orphan = buildImage({ labels: { orphan: 'yes' } });
    const response = await fetch(`${reg.url}/v2/neg/orphan/manifests/v1`, {
      method: 'PUT',
      body: orphan.bytes,
      headers: { 'Content-Type': orphan.mediaType },
    });
    expect(response.status).toBe(400);
    expect(await errorsOf(response)).toMatchObject([{ code: 'MANIFEST_BLOB_UNKNOWN' }]);
  });

  it('rejects malformed JSON with MANIFEST_INVALID and a PUT under the wrong digest with DIGEST_INVALID', async () => {
    const junk = await fetch(`${reg.url}/v2/neg/single/manifests/broken`, {
      method: 'PUT',
      body: '{not json',
      headers: { 'Content-Type': MEDIA_TYPES.ociManifest },
    });
    expect(await errorsOf(junk)).toMatchObject([{ code: 'MANIFEST_INVALID' }]);
    const wrong = await fetch(`${reg.url}/v2/neg/single/manifests/${sha256Digest('x')}`, {
      method: 'PUT',
      body: single.bytes,
      headers: { 'Content-Type': single.mediaType },
    });
    expect(wrong.status).toBe(400);
    expect(await errorsOf(wrong)).toMatchObject([{ code: 'DIGEST_INVALID' }]);
  });

  it('moves a tag when another manifest is pushed under it (the mutable tag)', async () => {
    const v2 = buildImage({ labels: { version: 'v2' } });
    await pushImage(reg.url, 'neg/moving', 'latest', single);
    await pushImage(reg.url, 'neg/moving', 'latest', v2);
    const response = await fetch(`${reg.url}/v2/neg/moving/manifests/latest`, {
      method: 'HEAD',
      headers: { Accept: ALL },
    });
    expect(response.headers.get('docker-content-digest')).toBe(v2.digest);
    const old = await fetch(`${reg.url}/v2/neg/moving/manifests/${single.digest}`, {
      method: 'HEAD',
      headers: { Accept: ALL },
    });
    expect(old.status).toBe(200);
  });

  it('deletes a tag, then the manifest by digest', async () => {
    await pushImage(reg.url, 'neg/delete', 'a', single);
    await pushImage(reg.url, 'neg/delete', 'b', single);
    expect((await fetch(`${reg.url}/v2/neg/delete/manifests/a`, { method: 'DELETE' })).status).toBe(202);
    expect(
      (await fetch(`${reg.url}/v2/neg/delete/manifests/a`, { method: 'HEAD', headers: { Accept: ALL } }))
        .status,
    ).toBe(404);
    expect(
      (await fetch(`${reg.url}/v2/neg/delete/manifests/${single.digest}`, { method: 'DELETE' })).status,
    ).toBe(202);
    expect(
      (await fetch(`${reg.url}/v2/neg/delete/manifests/b`, { method: 'HEAD', headers: { Accept: ALL } }))
        .status,
    ).toBe(404);
    const again = await fetch(`${reg.url}/v2/neg/delete/manifests/${single.digest}`, { method: 'DELETE' });
    expect(await errorsOf(again)).toMatchObject([{ code: 'MANIFEST_UNKNOWN' }]);
  });
});

describe('listing', () => {
  beforeAll(async () => {
    const image = buildImage();
    for (const tag of ['v3', 'v1', 'latest', 'v2']) await pushImage(reg, 'list/app', tag, image);
  });

  it('lists tags sorted, paginated with n/last and a Link to the next page', async () => {
    const first = await fetch(`${reg.url}/v2/list/app/tags/list?n=2`);
    expect(await first.json()).toEqual({ name: 'list/app', tags: ['latest', 'v1'] });
    expect(first.headers.get('link')).toBe('</v2/list/app/tags/list?last=v1&n=2>; rel="next"');
    const second = await fetch(`${reg.url}/v2/list/app/tags/list?n=2&last=v1`);
    expect(await second.json()).toEqual({ name: 'list/app', tags: ['v2', 'v3'] });
    expect(second.headers.get('link')).toBeNull();
  });

  it('lists repositories in the catalog', async () => {
    const response = await fetch(`${reg.url}/v2/_catalog`);
    const { repositories } = (await response.json()) as { repositories: string[] };
    expect(repositories).toContain('list/app');
    expect(repositories).toEqual([...repositories].sort());
    const paged = await fetch(`${reg.url}/v2/_catalog?n=1`);
    expect(((await paged.json()) as { repositories: string[] }).repositories).toHaveLength(1);
    expect(paged.headers.get('link')).toMatch(/rel="next"/);
  });
});
