import { describe, expect, it } from 'vitest';
import {
  DOCKER_HUB_API_HOST,
  isLoopbackRegistry,
  parseImageRef,
  registryHost,
  tryParseImageRef,
} from '../../../src/core/image-ref/index.js';

const HEX = 'a'.repeat(64);
const D = `sha256:${HEX}`;

describe('ImageRef views', () => {
  it.each([
    ['nginx', 'nginx', 'docker.io/library/nginx:latest', 'docker.io/library/nginx:latest', 'latest'],
    ['nginx:1.25', 'nginx:1.25', 'docker.io/library/nginx:1.25', 'docker.io/library/nginx:1.25', '1.25'],
    [`nginx@${D}`, `nginx@${D}`, `docker.io/library/nginx@${D}`, `docker.io/library/nginx@${D}`, D],
    [
      `nginx:1.25@${D}`,
      `nginx:1.25@${D}`,
      `docker.io/library/nginx:1.25@${D}`,
      `docker.io/library/nginx@${D}`,
      D,
    ],
    [
      'docker.io/bitnami/redis:7',
      'bitnami/redis:7',
      'docker.io/bitnami/redis:7',
      'docker.io/bitnami/redis:7',
      '7',
    ],
    [
      'localhost:5000/app',
      'localhost:5000/app',
      'localhost:5000/app:latest',
      'localhost:5000/app:latest',
      'latest',
    ],
  ])(
    '%s → familiar %s, qualified %s, pulled as %s, asks for %s',
    (input, familiar, qualified, docker, manifest) => {
      const ref = parseImageRef(input);
      expect(ref.familiar()).toBe(familiar);
      expect(ref.qualified()).toBe(qualified);
      expect(ref.dockerReference()).toBe(docker);
      expect(ref.manifestReference()).toBe(manifest);
    },
  );

  it('answers Docker Hub API calls at registry-1.docker.io and other registries at their own host', () => {
    expect(parseImageRef('nginx').apiHost()).toBe(DOCKER_HUB_API_HOST);
    expect(parseImageRef('index.docker.io/library/nginx').apiHost()).toBe('registry-1.docker.io');
    expect(parseImageRef('ghcr.io/a/b').apiHost()).toBe('ghcr.io');
    expect(parseImageRef('[::1]:5000/a').apiHost()).toBe('[::1]:5000');
  });

  it('pins with withDigest, keeping the spelling and replacing an older digest', () => {
    const pinned = parseImageRef('nginx:1.25').withDigest(D);
    expect(pinned.toString()).toBe(`nginx:1.25@${D}`);
    expect(pinned.digest).toBe(D);
    const other = `sha256:${'b'.repeat(64)}`;
    expect(pinned.withDigest(other).toString()).toBe(`nginx:1.25@${other}`);
    expect(() => pinned.withDigest('sha256:abc')).toThrow(
      expect.objectContaining({ code: 'REF_INVALID_FORMAT' }),
    );
    expect(() => pinned.withDigest(`sha256:${'b'.repeat(63)}`)).toThrow(
      expect.objectContaining({ code: 'REF_INVALID_DIGEST' }),
    );
    expect(() => pinned.withDigest(`md5:${'b'.repeat(32)}`)).toThrow(
      expect.objectContaining({ code: 'REF_UNSUPPORTED_DIGEST' }),
    );
  });

  it('tryParseImageRef returns undefined instead of throwing', () => {
    expect(tryParseImageRef('MyApp:v1')).toBeUndefined();
    expect(tryParseImageRef('nginx')?.repository).toBe('library/nginx');
  });
});

describe('error hints', () => {
  const hint = (input: string) => {
    try {
      parseImageRef(input);
    } catch (err) {
      return (err as { hint: string }).hint;
    }
    throw new Error(`${input} parsed`);
  };

  it('suggests the lowercase name and keeps the tag as written', () => {
    expect(hint('MyApp:V1')).toContain('did you mean "myapp:V1"?');
    expect(hint('registry.example.com/Team/App:v1')).toContain(
      'did you mean "registry.example.com/team/app:v1"?',
    );
  });

  it('explains whitespace, image IDs and digests', () => {
    expect(hint(' nginx')).toContain('whitespace');
    expect(hint(HEX)).toContain('image ID');
    expect(hint(`nginx@sha256:${'A'.repeat(64)}`)).toContain('64 lowercase hex');
  });

  it('shortens a huge input in the message but keeps it whole in details', () => {
    const input = `${'x'.repeat(5000)}!`;
    try {
      parseImageRef(input);
      expect.unreachable();
    } catch (err) {
      const e = err as { message: string; details: { input: string } };
      expect(e.message.length).toBeLessThan(400);
      expect(e.message).toContain('(5001 characters)');
      expect(e.details.input).toBe(input);
    }
  });
});

describe('isLoopbackRegistry', () => {
  it.each([
    'localhost',
    'localhost:5000',
    'LOCALHOST:5000',
    '127.0.0.1',
    '127.0.0.1:5000',
    '127.1.2.3:80',
    '[::1]',
    '[::1]:5000',
    '[0:0:0:0:0:0:0:1]:5000',
    '[::0:1]',
    '[::ffff:7f00:1]:5000',
  ])('%s is this machine', (registry) => {
    expect(isLoopbackRegistry(registry)).toBe(true);
  });

  it.each([
    'docker.io',
    'mylocalhost:5000',
    'localhost.localdomain',
    '128.0.0.1:5000',
    '127.0.0.256',
    '127.0.0.01',
    '127.0.0',
    '[::2]:5000',
    '[fe80::1]',
    '[::ffff:8000:1]',
    '[1::1]',
    '[::1::]',
  ])('%s is not', (registry) => {
    expect(isLoopbackRegistry(registry)).toBe(false);
  });

  it('takes parsed references too', () => {
    expect(isLoopbackRegistry(parseImageRef('localhost:5000/app:v1'))).toBe(true);
    expect(isLoopbackRegistry(parseImageRef('[::1]:5000/app'))).toBe(true);
    // no slash: `localhost:5000` is the Docker Hub image library/localhost, tag 5000
    expect(isLoopbackRegistry(parseImageRef('localhost:5000'))).toBe(false);
  });

  it('splits the host from the port', () => {
    expect(registryHost('[::1]:5000')).toBe('[::1]');
    expect(registryHost('example.com:443')).toBe('example.com');
    expect(registryHost('example.com')).toBe('example.com');
  });
});
