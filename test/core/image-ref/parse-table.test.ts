import { describe, expect, it } from 'vitest';
import { type ImageRefErrorCode, parseImageRef } from '../../../src/core/image-ref/index.js';
import { isKubefreshError } from '../../../src/errors/index.js';

/**
 * Cases from distribution/reference's own tests (`reference_test.go`, `normalize_test.go`), from
 * semantics.md §2, and from how go-digest v1.0.0 words digest errors. Each valid case states every
 * normalized part; each invalid case states the code and the exact library wording.
 */
const HEX = 'f'.repeat(64);
const D = `sha256:${HEX}`;
const D384 = `sha384:${'a'.repeat(96)}`;
const D512 = `sha512:${'f'.repeat(128)}`;
const ID = '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a';
const BUSYBOX = 'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa';

interface Valid {
  readonly input: string;
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  /** Expected `familiar()` when it is not simply the input. */
  readonly familiar?: string;
}

function ok(
  input: string,
  registry: string,
  repository: string,
  tag?: string,
  digest?: string,
  familiar?: string,
): Valid {
  return {
    input,
    registry,
    repository,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
    ...(familiar ? { familiar } : {}),
  };
}

const VALID: readonly Valid[] = [
  // semantics.md §1 table and the basic Docker Hub forms
  ok('nginx', 'docker.io', 'library/nginx'),
  ok('nginx:latest', 'docker.io', 'library/nginx', 'latest'),
  ok('nginx:1.25', 'docker.io', 'library/nginx', '1.25'),
  ok(`nginx@${D}`, 'docker.io', 'library/nginx', undefined, D),
  ok(`nginx:latest@${D}`, 'docker.io', 'library/nginx', 'latest', D),
  ok(`nginx:1.25@${D}`, 'docker.io', 'library/nginx', '1.25', D),
  ok(`busybox:latest@${BUSYBOX}`, 'docker.io', 'library/busybox', 'latest', BUSYBOX),
  ok('nginx:LATEST', 'docker.io', 'library/nginx', 'LATEST'),
  ok('nginx:1.27.0-alpine3.19', 'docker.io', 'library/nginx', '1.27.0-alpine3.19'),
  ok('nginx:_underscore', 'docker.io', 'library/nginx', '_underscore'),
  ok(`nginx:${'x'.repeat(128)}`, 'docker.io', 'library/nginx', 'x'.repeat(128)),
  ok('lowercase:Uppercase', 'docker.io', 'library/lowercase', 'Uppercase'),
  // splitDockerDomain: no slash means Docker Hub official image, even when it looks like a host
  ok('localhost', 'docker.io', 'library/localhost'),
  ok('localhost:5000', 'docker.io', 'library/localhost', '5000'),
  ok('test_com', 'docker.io', 'library/test_com'),
  ok('test.com:tag', 'docker.io', 'library/test.com', 'tag'),
  ok('test.com:5000', 'docker.io', 'library/test.com', '5000'),
  ok('192.168.0.1', 'docker.io', 'library/192.168.0.1'),
  ok('192.168.0.1:80', 'docker.io', 'library/192.168.0.1', '80'),
  ok('foo_bar.com:8080', 'docker.io', 'library/foo_bar.com', '8080'),
  ok(
    'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
    'docker.io',
    'library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
  ),
  ok(`${HEX}:v1`, 'docker.io', `library/${HEX}`, 'v1'),
  ok('dbcc1', 'docker.io', 'library/dbcc1'),
  // first component: a registry only if localhost, has . or :, or has uppercase
  ok('docker/docker', 'docker.io', 'docker/docker'),
  ok('myhost/app', 'docker.io', 'myhost/app'),
  ok('foo/foo_bar.com:8080', 'docker.io', 'foo/foo_bar.com', '8080'),
  ok('test_com/foo', 'docker.io', 'test_com/foo'),
  ok('docker/migrator', 'docker.io', 'docker/migrator'),
  ok('library/debian', 'docker.io', 'library/debian', undefined, undefined, 'debian'),
  ok('library/foo/bar', 'docker.io', 'library/foo/bar'),
  ok('store/foo/bar', 'docker.io', 'store/foo/bar'),
  ok('other/library', 'docker.io', 'other/library'),
  ok('docker-rules/docker', 'docker.io', 'docker-rules/docker'),
  ok('docker---rules/docker', 'docker.io', 'docker---rules/docker'),
  ok('dock__er/docker', 'docker.io', 'dock__er/docker'),
  ok('d/docker', 'docker.io', 'd/docker'),
  ok('jess/t', 'docker.io', 'jess/t'),
  ok('a.b-c_d__e/f', 'a.b-c_d__e', 'f'),
  ok('localhost/app', 'localhost', 'app'),
  ok('localhost:5000/app:v1', 'localhost:5000', 'app', 'v1'),
  ok('localhost:0/x', 'localhost:0', 'x'),
  ok('Docker/docker', 'Docker', 'docker'),
  ok('DOCKER/docker', 'DOCKER', 'docker'),
  ok('Foo/bar', 'Foo', 'bar'),
  ok('Foo:5000/bar', 'Foo:5000', 'bar'),
  ok('MyReg.io/app', 'MyReg.io', 'app'),
  ok('test.com/repo:tag', 'test.com', 'repo', 'tag'),
  ok('test.com/foo', 'test.com', 'foo'),
  ok('test:5000/repo', 'test:5000', 'repo'),
  ok('test:5000/repo:tag', 'test:5000', 'repo', 'tag'),
  ok(`test:5000/repo@${D}`, 'test:5000', 'repo', undefined, D),
  ok(`test:5000/repo:tag@${D}`, 'test:5000', 'repo', 'tag', D),
  ok('test-com:8080/foo', 'test-com:8080', 'foo'),
  ok('test.com:8080/foo', 'test.com:8080', 'foo'),
  ok('sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com', 'bar/baz/quux'),
  ok('sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com', 'bar/baz/quux', 'some-long-tag'),
  ok(
    'b.gcr.io/test.example.com/my-app:test.example.com',
    'b.gcr.io',
    'test.example.com/my-app',
    'test.example.com',
  ),
  ok('xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com', 'myimage', 'xn--n3h.com'),
  ok('xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo'),
  ok(`xn--7o8h.com/myimage:xn--7o8h.com@${D512}`, 'xn--7o8h.com', 'myimage', 'xn--7o8h.com', D512),
  ok('ghcr.io/org/team/app:v1', 'ghcr.io', 'org/team/app', 'v1'),
  ok('registry.example.com:5000/team/app:v1.2.3', 'registry.example.com:5000', 'team/app', 'v1.2.3'),
  ok('example.com/privatebase', 'example.com', 'privatebase'),
  ok('example.com:8000/private/moonbase', 'example.com:8000', 'private/moonbase'),
  ok(`example.com/app:1@${D384}`, 'example.com', 'app', '1', D384),
  // IPv4 and IPv6 hosts
  ok('127.0.0.1:5000/docker/docker', '127.0.0.1:5000', 'docker/docker'),
  ok('127.0.0.1:5000/library/debian', '127.0.0.1:5000', 'library/debian'),
  ok('127.0.0.1:5000/debian', '127.0.0.1:5000', 'debian'),
  ok('127.0.0.1:8000/private/moonbase', '127.0.0.1:8000', 'private/moonbase'),
  ok('192.168.0.1:8/debian', '192.168.0.1:8', 'debian'),
  ok('192.168.1.1/repo', '192.168.1.1', 'repo'),
  ok('192.168.1.1:5000/repo:5050', '192.168.1.1:5000', 'repo', '5050'),
  ok('[fc00::1]:5000/docker', '[fc00::1]:5000', 'docker'),
  ok('[fc00::1]:5000/docker/docker', '[fc00::1]:5000', 'docker/docker'),
  ok('[fc00:1:2:3:4:5:6:7]:5000/library/debian', '[fc00:1:2:3:4:5:6:7]:5000', 'library/debian'),
  ok('[2001:db8::1]/repo', '[2001:db8::1]', 'repo'),
  ok('[2001:db8:1:2:3:4:5:6]/repo:tag', '[2001:db8:1:2:3:4:5:6]', 'repo', 'tag'),
  ok('[2001:db8::1]:5000/repo', '[2001:db8::1]:5000', 'repo'),
  ok(`[2001:db8::1]:5000/repo:tag@${D}`, '[2001:db8::1]:5000', 'repo', 'tag', D),
  ok('[2001:db8::]:5000/repo', '[2001:db8::]:5000', 'repo'),
  ok('[::1]:5000/repo', '[::1]:5000', 'repo'),
  ok('[::1]/app:v1', '[::1]', 'app', 'v1'),
  // docker.io and index.docker.io spellings
  ok('docker.io/docker/docker', 'docker.io', 'docker/docker', undefined, undefined, 'docker/docker'),
  ok('docker.io/library/debian', 'docker.io', 'library/debian', undefined, undefined, 'debian'),
  ok('docker.io/debian', 'docker.io', 'library/debian', undefined, undefined, 'debian'),
  ok('docker.io/library/foo/bar', 'docker.io', 'library/foo/bar', undefined, undefined, 'library/foo/bar'),
  ok('index.docker.io/docker/docker', 'docker.io', 'docker/docker', undefined, undefined, 'docker/docker'),
  ok('index.docker.io/library/debian', 'docker.io', 'library/debian', undefined, undefined, 'debian'),
  ok('index.docker.io/debian:12', 'docker.io', 'library/debian', '12', undefined, 'debian:12'),
  ok(`docker.io/${ID}`, 'docker.io', `library/${ID}`, undefined, undefined, `library/${ID}`),
  // kept qualified where dropping docker.io/ would change the meaning (docker's FamiliarString does not)
  ok('docker.io/foo.bar/baz', 'docker.io', 'foo.bar/baz', undefined, undefined, 'docker.io/foo.bar/baz'),
  ok('docker.io/localhost/x', 'docker.io', 'localhost/x', undefined, undefined, 'docker.io/localhost/x'),
  // exact comparisons: only lowercase docker.io is Docker Hub
  ok('Docker.io/nginx', 'Docker.io', 'nginx'),
  ok('INDEX.DOCKER.IO/x', 'INDEX.DOCKER.IO', 'x'),
  // a dotted first component that fails the host grammar but is a valid path: accepted, host kept
  ok('my_registry.local/app', 'my_registry.local', 'app'),
  // the 255 limit counts the path only (distribution/reference v0.6.0)
  ok(
    `${'a/'.repeat(127)}a:tag-puts-this-over-max`,
    'docker.io',
    `${'a/'.repeat(127)}a`,
    'tag-puts-this-over-max',
  ),
  ok(`example.com/${'a'.repeat(255)}`, 'example.com', 'a'.repeat(255)),
];

interface Invalid {
  readonly input: string;
  readonly code: ImageRefErrorCode;
  readonly reason: string;
}

const FORMAT = 'invalid reference format';
const bad = (input: string, code: ImageRefErrorCode, reason: string): Invalid => ({ input, code, reason });
const format = (input: string): Invalid => bad(input, 'REF_INVALID_FORMAT', FORMAT);
const lower = (input: string, remote: string): Invalid =>
  bad(input, 'REF_NOT_LOWERCASE', `invalid reference format: repository name (${remote}) must be lowercase`);

const INVALID: readonly Invalid[] = [
  bad('', 'REF_EMPTY', FORMAT),
  format(':justtag'),
  format(`@${D}`),
  format('aa/asdf$$^/aa'),
  format('https://github.com/docker/docker'),
  format('http://x/y'),
  format('-docker'),
  format('-docker/docker'),
  format('-docker.io/docker/docker'),
  format('docker-/docker'),
  format('-docker-/docker'),
  format('docker///docker'),
  format('docker.io/docker///docker'),
  format('____/____'),
  format('_docker/_docker'),
  format('dock..er/docker'),
  format('dock_.er/docker'),
  format('dock-.er/docker'),
  format('docker/'),
  format('/docker'),
  format('a:b:c'),
  format('a/b:c/d'),
  format('a@b'),
  format('nginx:'),
  format('nginx:-tag'),
  format('nginx:.tag'),
  format('nginx:tag with space'),
  format(`nginx:${'x'.repeat(129)}`),
  format('nginx@sha256:abc'),
  format('nginx@sha256'),
  format(' nginx'),
  format('nginx '),
  format('nginx\n'),
  format('nginx\t:1'),
  format('ngïnx'),
  format('example.com:port/x'),
  format('example.com:/x'),
  format('::1/x'),
  format('[::1/x'),
  format('[2001:db8::1]'),
  format('[2001:db8::1]:5000'),
  format('[2001:db8::1]:tag'),
  format('[fc00::1]'),
  format('[fc00::1]:5000'),
  format('fc00::1:5000/debian'),
  format('[fe80::1%eth0]:5000/repo'),
  format('[fe80::1%@invalidzone]:5000/repo'),
  format('[2001:db8:3:4::192.0.2.33]:5000/debian'),
  // uppercase in the repository path: the check before parsing quotes the path it saw
  lower('MyApp:v1', 'library/MyApp'),
  lower('Uppercase:tag', 'library/Uppercase'),
  lower('Nginx', 'library/Nginx'),
  lower('docker/Docker', 'docker/Docker'),
  lower('docker.io/docker/Docker', 'docker/Docker'),
  lower('docker.io/MyApp', 'library/MyApp'),
  lower('test:5000/Uppercase/lowercase:tag', 'Uppercase/lowercase'),
  lower('Foo/Bar', 'Bar'),
  lower('localhost/Foo', 'Foo'),
  lower(`nginx@SHA256:${HEX}`, 'library/nginx@SHA256'),
  lower(`example.com/nginx@SHA256:${HEX}`, 'nginx@SHA256'),
  // uppercase the early check cannot see; the parser notices lowercasing would fix it
  bad('A_b/x', 'REF_NOT_LOWERCASE', 'repository name must be lowercase'),
  bad('İ/foo', 'REF_NOT_LOWERCASE', 'repository name must be lowercase'),
  bad('foo:\u212a', 'REF_NOT_LOWERCASE', 'repository name must be lowercase'),
  // 64-hex strings are image IDs
  bad(ID, 'REF_HEX_NAME', `invalid repository name (${ID}), cannot specify 64-byte hexadecimal strings`),
  bad(HEX, 'REF_HEX_NAME', `invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`),
  // path longer than 255
  bad(
    `${'a/'.repeat(128)}a:tag`,
    'REF_NAME_TOO_LONG',
    'repository name must not be more than 255 characters',
  ),
  bad(
    `${'n'.repeat(250)}/docker`,
    'REF_NAME_TOO_LONG',
    'repository name must not be more than 255 characters',
  ),
  bad(
    `example.com/${'a'.repeat(256)}`,
    'REF_NAME_TOO_LONG',
    'repository name must not be more than 255 characters',
  ),
  // digests, as go-digest v1.0.0 words them
  bad(`repo@sha256:${'f'.repeat(34)}`, 'REF_INVALID_DIGEST', 'invalid checksum digest length'),
  bad(`nginx@sha256:${'f'.repeat(63)}`, 'REF_INVALID_DIGEST', 'invalid checksum digest length'),
  bad(`nginx@sha256:${'f'.repeat(65)}`, 'REF_INVALID_DIGEST', 'invalid checksum digest length'),
  bad(`nginx@sha512:${HEX}`, 'REF_INVALID_DIGEST', 'invalid checksum digest length'),
  bad(`nginx@sha256:${'F'.repeat(64)}`, 'REF_INVALID_DIGEST', 'invalid checksum digest format'),
  bad(`nginx:v1@sha256:${'A'.repeat(64)}`, 'REF_INVALID_DIGEST', 'invalid checksum digest format'),
  bad(`nginx:v1@SHA256:${HEX}`, 'REF_INVALID_DIGEST', 'invalid checksum digest format'),
  bad(`validname@invaliddigest:${HEX}`, 'REF_UNSUPPORTED_DIGEST', 'unsupported digest algorithm'),
  bad(`nginx@md5:${'f'.repeat(32)}`, 'REF_UNSUPPORTED_DIGEST', 'unsupported digest algorithm'),
  bad(`nginx:v1@sha256+b64:${HEX}`, 'REF_UNSUPPORTED_DIGEST', 'unsupported digest algorithm'),
];

describe('parseImageRef: valid references', () => {
  it.each(VALID)('$input', (c) => {
    const ref = parseImageRef(c.input);
    expect({ registry: ref.registry, repository: ref.repository, tag: ref.tag, digest: ref.digest }).toEqual({
      registry: c.registry,
      repository: c.repository,
      tag: c.tag,
      digest: c.digest,
    });
    expect(ref.toString()).toBe(c.input);
    expect(ref.name()).toBe(`${c.registry}/${c.repository}`);
    const effective = c.tag ?? (c.digest ? undefined : 'latest');
    expect(ref.qualified()).toBe(
      `${c.registry}/${c.repository}${effective ? `:${effective}` : ''}${c.digest ? `@${c.digest}` : ''}`,
    );
    if (c.familiar !== undefined) expect(ref.familiar()).toBe(c.familiar);
  });
});

describe('parseImageRef: invalid references', () => {
  it.each(INVALID)('$input → $code', (c) => {
    let thrown: unknown;
    try {
      parseImageRef(c.input);
    } catch (err) {
      thrown = err;
    }
    expect(isKubefreshError(thrown)).toBe(true);
    const err = thrown as { code: string; message: string; details: { reason: string; input: string } };
    expect(err.code).toBe(c.code);
    expect(err.details.reason).toBe(c.reason);
    expect(err.details.input).toBe(c.input);
    const quoted =
      c.input.length > 300
        ? `${JSON.stringify(`${c.input.slice(0, 300)}…`)} (${c.input.length} characters)`
        : JSON.stringify(c.input);
    expect(err.message).toBe(`parsing image reference ${quoted}: ${c.reason}`);
  });
});

describe('the table', () => {
  it('covers at least 110 references', () => {
    expect(VALID.length + INVALID.length).toBeGreaterThanOrEqual(110);
    expect(new Set([...VALID, ...INVALID].map((c) => c.input)).size).toBe(VALID.length + INVALID.length);
  });
});
