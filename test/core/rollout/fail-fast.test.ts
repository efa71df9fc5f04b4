import { describe, expect, it } from 'vitest';
import { FAIL_FAST_CODES } from '../../../src/core/rollout/index.js';

describe('FAIL_FAST_CODES', () => {
  it('are the pod failures a rollout cannot outwait, and nothing about staleness or progress', () => {
    expect([...FAIL_FAST_CODES].sort()).toEqual(
      [
        'CONFIG_MISSING',
        'CRASH_LOOP',
        'INVALID_IMAGE_NAME',
        'OOM_KILLED',
        'PULL_AUTH',
        'PULL_HTTP_TO_HTTPS',
        'PULL_NEVER_NOT_PRESENT',
        'PULL_NOT_FOUND',
        'PULL_RATE_LIMITED',
        'PULL_TLS',
        'PULL_UNREACHABLE',
        'UNSCHEDULABLE',
      ].sort(),
    );
    for (const code of ['ROLLOUT_STUCK', 'ROLLOUT_IN_PROGRESS', 'STALE_TAG_MOVED', 'OK_CURRENT'] as const) {
      expect(FAIL_FAST_CODES.has(code)).toBe(false);
    }
  });
});
