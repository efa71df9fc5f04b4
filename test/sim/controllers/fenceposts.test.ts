import { describe, expect, it } from 'vitest';
import { resolveFenceposts } from '../../../src/sim/controllers/index.js';

function deployment(replicas: number, maxSurge?: number | string, maxUnavailable?: number | string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: {
      replicas,
      template: {},
      strategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge, maxUnavailable } },
    },
  };
}

describe('resolveFenceposts', () => {
  it.each([
    [10, '25%', '25%', 3, 2],
    [4, '25%', '25%', 1, 1],
    [3, '25%', '25%', 1, 0],
    [1, '25%', '25%', 1, 0],
    [3, 0, 0, 0, 1],
    [3, '0%', '0%', 0, 1],
    [5, 2, '50%', 2, 2],
    [10, '100%', 0, 10, 0],
  ])(
    'replicas %i, surge %s, unavailable %s → %i / %i',
    (replicas, surge, unavailable, wantSurge, wantUnavailable) => {
      expect(resolveFenceposts(deployment(replicas, surge, unavailable))).toEqual({
        surge: wantSurge,
        unavailable: wantUnavailable,
      });
    },
  );

  it('uses 25% for both limits when they are not set', () => {
    expect(resolveFenceposts(deployment(8))).toEqual({ surge: 2, unavailable: 2 });
  });
});
