import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../src/core/image-ref/index.js';
import { createLock, formatLock, lockKey, lookupLock, parseLock } from '../../../src/core/lock/index.js';
import { isKubefreshError } from '../../../src/errors/index.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const INDEX = 'application/vnd.oci.image.index.v1+json';

describe('lockKey', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['docker.io/library/nginx:1.27', 'docker.io/library/nginx:1.27'],
    [`nginx:1.27@${D1}`, 'docker.io/library/nginx:1.27'],
    ['localhost:5000/app:V1', 'localhost:5000/app:V1'],
    [`ghcr.io/a/b@${D1}`, undefined],
  ])('%s → %s', (text, key) => {
    expect(lockKey(parseImageRef(text))).toBe(key);
  });
});

describe('formatLock and parseLock', () => {
  const lock = createLock([
    ['ghcr.io/acme/api:main', { digest: D2, mediaType: INDEX, resolvedAt: '2025-02-01T10:00:00.000Z' }],
    ['docker.io/library/nginx:1.27', { digest: D1, mediaType: INDEX, resolvedAt: '2025-02-01T10:00:00Z' }],
  ]);

  it('writes sorted, deterministic JSON that reads back equal', () => {
    const text = formatLock(lock);
    expect(text).toBe(`{
  "apiVersion": "kubefresh.io/v1alpha1",
  "kind": "ImageLock",
  "images": {
    "docker.io/library/nginx:1.27": {
      "digest": "${D1}",
      "mediaType": "${INDEX}",
      "resolvedAt": "2025-02-01T10:00:00Z"
    },
    "ghcr.io/acme/api:main": {
      "digest": "${D2}",
      "mediaType": "${INDEX}",
      "resolvedAt": "2025-02-01T10:00:00.000Z"
    }
  }
}
`);
    const back = parseLock(text, 'images.lock.json');
    expect([...back.images]).toEqual([...lock.images].sort(([a], [b]) => a.localeCompare(b)));
    expect(formatLock(back)).toBe(text);
  });

  it('finds an entry by any spelling of the reference', () => {
    expect(lookupLock(lock, parseImageRef('nginx:1.27'))?.digest).toBe(D1);
    expect(lookupLock(lock, parseImageRef('index.docker.io/library/nginx:1.27'))?.digest).toBe(D1);
    expect(lookupLock(lock, parseImageRef('nginx:1.28'))).toBeUndefined();
  });

  const valid = (images: unknown) =>
    JSON.stringify({ apiVersion: 'kubefresh.io/v1alpha1', kind: 'ImageLock', images });
  const entry = { digest: D1, mediaType: INDEX, resolvedAt: '2025-02-01T10:00:00Z' };

  it.each([
    ['{"apiVersion": ', /^reading lock file "l\.json": not valid JSON \(Unexpected end of JSON input\)$/],
    [
      '{\n  "apiVersion": x}',
      /^reading lock file "l\.json": not valid JSON \((line 2, column 17: )?Unexpected token 'x'\)$/,
    ],
    ['[]', /expected a JSON object, got an array$/],
    [
      '{"apiVersion":"v1","kind":"List","images":{}}',
      /expected apiVersion "kubefresh.io\/v1alpha1" and kind "ImageLock", got "v1" and "List"$/,
    ],
    [valid([]), /"images": expected an object of reference → entry, got an array$/],
    [
      valid({ 'nginx:1.27': entry }),
      /images\["nginx:1.27"\]: expected the fully qualified form "docker.io\/library\/nginx:1.27"$/,
    ],
    [
      valid({ [`docker.io/library/nginx@${D1}`]: entry }),
      /expected an image reference with a tag and no digest$/,
    ],
    [
      valid({ 'Not A Ref': entry }),
      /images\["Not A Ref"\]: expected an image reference with a tag and no digest$/,
    ],
    [
      valid({ 'docker.io/library/nginx:1.27': 'sha256:x' }),
      /images\["docker.io\/library\/nginx:1.27"\]: expected an object, got "sha256:x"$/,
    ],
    [
      valid({ 'docker.io/library/nginx:1.27': { ...entry, digest: 'sha256:abc' } }),
      /\.digest: expected sha256:<64 hex> or sha512:<128 hex>, got "sha256:abc"$/,
    ],
    [
      valid({ 'docker.io/library/nginx:1.27': { ...entry, mediaType: '' } }),
      /\.mediaType: expected a media type, got ""$/,
    ],
    [
      valid({ 'docker.io/library/nginx:1.27': { ...entry, resolvedAt: 'yesterday' } }),
      /\.resolvedAt: expected an ISO 8601 UTC time such as "2025-01-31T12:00:00Z", got "yesterday"$/,
    ],
  ])('rejects %s with a message quoting the problem', (text, message) => {
    let caught: unknown;
    try {
      parseLock(text, 'l.json');
    } catch (err) {
      caught = err;
    }
    expect(isKubefreshError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
    expect((caught as { code: string }).code).toBe('CONFIG_LOCK_INVALID');
  });
});
