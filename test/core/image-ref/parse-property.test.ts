import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ImageRef, parseImageRef, tryParseImageRef } from '../../../src/core/image-ref/index.js';
import { isKubefreshError } from '../../../src/errors/index.js';

/** Pieces of the reference grammar, including near misses, so generated strings hit every branch. */
const chars = (alphabet: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
const lowerAlnum = chars('abcdefghijklmnopqrstuvwxyz0123456789', 1, 8);
const separator = fc.oneof(
  { arbitrary: fc.constantFrom('.', '_', '__', '-', '--', '---'), weight: 9 },
  { arbitrary: fc.constantFrom('..', '___', '-_', '/'), weight: 1 },
);
const pathComponent = fc
  .tuple(lowerAlnum, fc.array(fc.tuple(separator, lowerAlnum), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));
const domainComponent = fc.oneof(
  { arbitrary: chars('abcdefghijklmnopqrstuvwxyz0123456789', 1, 10), weight: 4 },
  { arbitrary: chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_', 1, 10), weight: 1 },
);
const ipv6 = fc.constantFrom(
  '[::1]',
  '[fc00::1]',
  '[2001:db8:1:2:3:4:5:6]',
  '[fe80::1%eth0]',
  '[::ffff:7f00:1]',
  '[]',
);
const domain = fc.oneof(
  fc.constantFrom('docker.io', 'index.docker.io', 'localhost', 'ghcr.io', '127.0.0.1', 'Registry', 'https:'),
  fc.array(domainComponent, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.')),
  ipv6,
);
const port = fc.option(
  fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 70000 }).map(String), weight: 5 },
    fc.constantFrom('', 'x'),
  ),
  { nil: undefined },
);
const tag = fc.oneof(
  { arbitrary: chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_', 1, 20), weight: 4 },
  { arbitrary: chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-', 1, 20), weight: 2 },
  fc.constantFrom('latest', 'LATEST', 'v1.2.3', '-bad', '.bad', 'x'.repeat(128), 'x'.repeat(129)),
);
const hexOf = (min: number, max: number) => chars('0123456789abcdef', min, max);
const digest = fc.oneof(
  { arbitrary: hexOf(64, 64).map((h) => `sha256:${h}`), weight: 4 },
  hexOf(96, 96).map((h) => `sha384:${h}`),
  hexOf(128, 128).map((h) => `sha512:${h}`),
  fc
    .tuple(
      fc.constantFrom('sha256', 'sha512', 'md5', 'SHA256', 'sha256+b64', 'x'),
      chars('0123456789abcdefABCDEF', 0, 130),
    )
    .map(([alg, hex]) => `${alg}:${hex}`),
);
const reference = fc
  .record({
    domain: fc.option(fc.tuple(domain, port), { nil: undefined, freq: 2 }),
    path: fc.array(pathComponent, { minLength: 1, maxLength: 4 }),
    tag: fc.option(tag, { nil: undefined }),
    digest: fc.option(digest, { nil: undefined }),
  })
  .map((r) => {
    const host =
      r.domain === undefined ? '' : `${r.domain[0]}${r.domain[1] === undefined ? '' : `:${r.domain[1]}`}/`;
    return `${host}${r.path.join('/')}${r.tag === undefined ? '' : `:${r.tag}`}${r.digest === undefined ? '' : `@${r.digest}`}`;
  });

/** Small edits: the typos and copy-paste accidents real manifests contain. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    ch: fc.constantFrom(...'/:@._-A Z[]%\n\u0130\u212a'),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('upper' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('double' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;
function mutate(text: string, edits: readonly Mutation[]): string {
  let out = text;
  for (const edit of edits) {
    const at = out.length === 0 ? 0 : edit.at % (out.length + 1);
    if (edit.kind === 'insert') out = out.slice(0, at) + edit.ch + out.slice(at);
    else if (edit.kind === 'delete') out = out.slice(0, at) + out.slice(at + 1);
    else if (edit.kind === 'upper')
      out = out.slice(0, at) + out.slice(at, at + 1).toUpperCase() + out.slice(at + 1);
    else out = out.slice(0, at) + out.slice(at, at + 1) + out.slice(at);
  }
  return out;
}
const mutated = fc
  .tuple(reference, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([r, m]) => mutate(r, m));

let parsed = 0;
let rejected = 0;

/** The contract: a REF_ KubefreshError or an ImageRef whose printed forms mean the same thing. */
function checkContract(text: string): void {
  let ref: ImageRef;
  try {
    ref = parseImageRef(text);
  } catch (err) {
    if (!isKubefreshError(err)) throw err;
    expect(err.code).toMatch(/^REF_[A-Z_]+$/);
    expect(err.message.startsWith('parsing image reference "')).toBe(true);
    expect(tryParseImageRef(text)).toBeUndefined();
    rejected++;
    return;
  }
  parsed++;
  expect(ref.toString()).toBe(text);
  const again = parseImageRef(ref.qualified());
  expect([again.registry, again.repository, again.tag, again.digest]).toEqual([
    ref.registry,
    ref.repository,
    ref.effectiveTag(),
    ref.digest,
  ]);
  expect(again.qualified()).toBe(ref.qualified());
  const familiar = parseImageRef(ref.familiar());
  expect([familiar.name(), familiar.tag, familiar.digest]).toEqual([ref.name(), ref.tag, ref.digest]);
}

describe('parseImageRef on generated input', () => {
  it('random strings: nothing but REF_ errors escape', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.string({ unit: 'binary', maxLength: 80 }),
          chars('aA0:/@._-[]%', 0, 40),
        ),
        checkContract,
      ),
      { numRuns: 4000 },
    );
  });

  it('grammar-shaped references round-trip through qualified() and familiar()', () => {
    fc.assert(fc.property(reference, checkContract), { numRuns: 4000 });
  });

  it('mutated references either parse and round-trip or fail with a REF_ code', () => {
    fc.assert(fc.property(mutated, checkContract), { numRuns: 4000 });
  });

  it('exercised both outcomes substantially', () => {
    expect(parsed + rejected).toBeGreaterThanOrEqual(12000);
    expect(parsed).toBeGreaterThan(2000);
    expect(rejected).toBeGreaterThan(2000);
  });
});
