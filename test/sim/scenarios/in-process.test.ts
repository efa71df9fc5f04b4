import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import { findScenario, SCENARIOS, waitForExpected } from '../../../src/sim/scenarios/index.js';

/**
 * The scenarios as `demo` runs them: every step through the API in-process (no kubectl), all seven
 * on one cluster at once; the outcome is read from the store.
 */
describe('seed scenarios run in-process', () => {
  let cluster: SimCluster;
  const errors: unknown[] = [];

  beforeAll(async () => {
    cluster = await startSimCluster({ speed: 100, onError: (_c, _k, error) => errors.push(error) });
  });
  afterAll(async () => {
    await cluster?.stop();
    expect(errors).toEqual([]);
  });

  it('finds scenarios by id and slug', () => {
    expect(SCENARIOS.map((s) => s.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(findScenario(4)?.slug).toBe('localhost-registry');
    expect(findScenario('undo-history')?.id).toBe(7);
    expect(findScenario('nope')).toBeUndefined();
  });

  it.concurrent.each(SCENARIOS.map((s) => [s.id, s.slug, s] as const))(
    'scenario %i (%s) reaches its outcome, and its fix where it has one',
    async (_id, slug, scenario) => {
      const prepared = await scenario.setup(cluster, { namespace: `inproc-${slug}` });
      for (const step of prepared.steps) await step.run();
      await waitForExpected(cluster, prepared.namespace, prepared.expected);
      if (prepared.fix) {
        for (const step of prepared.fix.steps) await step.run();
        await waitForExpected(cluster, prepared.namespace, prepared.fix.expected);
      }
    },
  );
});
