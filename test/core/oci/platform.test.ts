import { describe, expect, it } from 'vitest';
import { formatPlatform, type Platform, parsePlatform, pickPlatform } from '../../../src/core/oci/index.js';

const entry = (text: string): { name: string; platform: Platform } => {
  const [os, architecture, variant] = text.split('/') as [string, string, string | undefined];
  return { name: text, platform: variant ? { os, architecture, variant } : { os, architecture } };
};

describe('parsePlatform', () => {
  it.each([
    ['linux/amd64', 'linux/amd64'],
    ['linux/arm64/v8', 'linux/arm64'],
    ['linux/aarch64', 'linux/arm64'],
    ['linux/x86_64', 'linux/amd64'],
    ['linux/arm', 'linux/arm/v7'],
    ['linux/armhf', 'linux/arm/v7'],
    ['linux/arm/6', 'linux/arm/v6'],
    ['Linux/AMD64', 'linux/amd64'],
    ['windows/amd64', 'windows/amd64'],
  ])('%s → %s', (text, want) => {
    expect(formatPlatform(parsePlatform(text))).toBe(want);
  });

  it.each(['arm64', 'linux/', '/amd64', 'linux/arm/v7/extra', 'linux amd64'])(
    'rejects %j quoting it',
    (text) => {
      expect(() => parsePlatform(text)).toThrow(
        expect.objectContaining({
          code: 'USAGE_INVALID_PLATFORM',
          message: `invalid platform "${text}": expected os/arch or os/arch/variant`,
        }),
      );
    },
  );
});

describe('pickPlatform', () => {
  const index = ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v6', 'unknown/unknown', 'windows/amd64'].map(
    entry,
  );

  it.each([
    ['linux/amd64', 'linux/amd64'],
    ['linux/arm64', 'linux/arm64/v8'],
    ['linux/aarch64', 'linux/arm64/v8'],
    ['linux/arm/v7', 'linux/arm/v6'],
    ['windows/amd64', 'windows/amd64'],
  ])('a %s node pulls %s', (wanted, got) => {
    expect(pickPlatform(index, parsePlatform(wanted))?.name).toBe(got);
  });

  it('an arm64 entry without a variant matches arm64/v8', () => {
    expect(pickPlatform([entry('linux/arm64')], parsePlatform('linux/arm64/v8'))?.name).toBe('linux/arm64');
  });

  it('prefers the exact arm variant over a compatible older one', () => {
    expect(
      pickPlatform(['linux/arm/v6', 'linux/arm/v7'].map(entry), parsePlatform('linux/arm/v7'))?.name,
    ).toBe('linux/arm/v7');
  });

  it('finds nothing for a platform the index lacks, and never picks attestations', () => {
    expect(pickPlatform(index, parsePlatform('linux/s390x'))).toBeUndefined();
    expect(
      pickPlatform([entry('unknown/unknown')], { os: 'unknown', architecture: 'unknown' }),
    ).toBeUndefined();
    expect(pickPlatform(['linux/arm/v7'].map(entry), parsePlatform('linux/arm/v6'))).toBeUndefined();
  });
});
