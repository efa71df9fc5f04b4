import { describe, expect, it } from 'vitest';
import { parseTagStrategy, tagFor, validateTag } from '../../../src/core/tag-strategy/index.js';

describe('tagFor', () => {
  it.each([
    [{ strategy: 'git', commit: '0123456789abcdef0123456789abcdef01234567', dirty: false }, '0123456'],
    [{ strategy: 'git', commit: '0123456789abcdef0123456789abcdef01234567', dirty: true }, '0123456-dirty'],
    [{ strategy: 'timestamp', now: Date.UTC(2025, 0, 2, 15, 4, 5, 999) }, '20250102-150405'],
    [{ strategy: 'content', digest: `sha256:${'ab'.repeat(32)}` }, 'sha256-abababababab'],
  ] as const)('%o → %s', (input, tag) => {
    expect(tagFor(input)).toBe(tag);
    expect(validateTag(tagFor(input))).toBe(tag);
  });

  it('rejects what is not a commit or a digest, quoting it', () => {
    expect(() => tagFor({ strategy: 'git', commit: 'HEAD', dirty: false })).toThrow(/got "HEAD"/);
    expect(() => tagFor({ strategy: 'content', digest: 'md5:00' })).toThrow(/got "md5:00"/);
  });

  it('validates --tag and --tag-strategy', () => {
    expect(() => validateTag('-bad')).toThrow(/"-bad" is not a valid tag/);
    expect(() => validateTag('x'.repeat(129))).toThrow(/not a valid tag/);
    expect(parseTagStrategy('git')).toBe('git');
    expect(() => parseTagStrategy('semver')).toThrow(
      'unknown tag strategy "semver": expected one of git, timestamp, content',
    );
  });
});
