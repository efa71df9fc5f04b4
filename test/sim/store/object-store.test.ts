import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../src/sim/clock.js';
import { type KubeObject, ObjectStore, StoreError } from '../../../src/sim/store/index.js';

function configMap(
  namespace: string | undefined,
  name: string,
  data: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    data,
  };
}

/** What `page` must return: every matching object in (namespace, name) order, after `after`. */
function expectedOrder(objects: KubeObject[], namespace?: string): string[] {
  return objects
    .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
    .map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('ObjectStore.page', () => {
  it('pages through every object exactly once in namespace/name order, whatever the page size', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.tuple(fc.constantFrom('a', 'b', 'ab', 'kube-system'), fc.stringMatching(/^[a-z0-9]{1,6}$/)),
          {
            selector: ([ns, name]) => `${ns}/${name}`,
            maxLength: 40,
          },
        ),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(undefined, 'a', 'ab'),
        (pairs, limit, namespace) => {
          const store = new ObjectStore(new ScaledClock(1));
          for (const [ns, name] of pairs) store.create('configmaps', configMap(ns, name));
          const seen: string[] = [];
          let after: string | undefined;
          for (let guard = 0; guard < 100; guard++) {
            const page = store.page('configmaps', { namespace, after, limit });
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
            if (page.lastKey === undefined) {
              expect(page.remaining).toBe(0);
              break;
            }
            expect(page.remaining).toBe(
              expectedOrder(store.list('configmaps').items, namespace).length - seen.length,
            );
            after = page.lastKey;
          }
          expect(seen).toEqual(expectedOrder(store.list('configmaps').items, namespace));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sees objects added and removed between pages, and counts only matching ones with a filter', () => {
    const store = new ObjectStore(new ScaledClock(1));
    for (const name of ['c1', 'c2', 'c3', 'c4'])
      store.create('configmaps', configMap('default', name, { n: name }));
    const first = store.page('configmaps', { limit: 2 });
    expect(first.items.map((o) => o.metadata.name)).toEqual(['c1', 'c2']);
    store.create('configmaps', configMap('default', 'c25'));
    store.delete('configmaps', 'default', 'c3');
    const rest = store.page('configmaps', { after: first.lastKey, limit: 10 });
    expect(rest.items.map((o) => o.metadata.name)).toEqual(['c25', 'c4']);
    const odd = store.page('configmaps', {
      limit: 1,
      filter: (o) => ['c1', 'c3', 'c4'].includes(o.metadata.name),
    });
    expect(odd.items.map((o) => o.metadata.name)).toEqual(['c1']);
    expect(odd.remaining).toBe(1);
  });

  it('orders cluster-scoped objects by name', () => {
    const store = new ObjectStore(new ScaledClock(1));
    for (const name of ['node-b', 'node-a', 'node-c']) store.create('nodes', configMap(undefined, name));
    const first = store.page('nodes', { limit: 2 });
    expect(first.items.map((o) => o.metadata.name)).toEqual(['node-a', 'node-b']);
    expect(first.lastKey).toBe('/node-b');
    expect(store.page('nodes', { after: first.lastKey }).items.map((o) => o.metadata.name)).toEqual([
      'node-c',
    ]);
  });
});

describe('ObjectStore writes', () => {
  it('copies its input unless told to adopt it', () => {
    const store = new ObjectStore(new ScaledClock(1));
    const input = configMap('default', 'copied', { k: 'v' });
    const stored = store.create('configmaps', input);
    (input.data as Record<string, string>).k = 'changed';
    expect(store.get('configmaps', 'default', 'copied')?.data).toEqual({ k: 'v' });
    expect(stored).not.toBe(input);

    const adopted = configMap('default', 'adopted');
    expect(store.create('configmaps', adopted, { adopt: true })).toBe(adopted);
    expect(adopted.metadata.resourceVersion).toBe(store.resourceVersion());
  });

  it('serializes a stored version once and a new version afresh', () => {
    const store = new ObjectStore(new ScaledClock(1));
    const v1 = store.create('configmaps', configMap('default', 'c', { k: 'v1' }));
    expect(store.json(v1)).toBe(JSON.stringify(v1));
    const v2 = store.update('configmaps', { ...v1, metadata: { ...v1.metadata }, data: { k: 'v2' } });
    expect(JSON.parse(store.json(v2))).toMatchObject({
      data: { k: 'v2' },
      metadata: { resourceVersion: v2.metadata.resourceVersion },
    });
    expect(JSON.parse(store.json(v1)).data).toEqual({ k: 'v1' });
  });

  it('keeps exactly the last `capacity` changes for watches, however many writes came before', async () => {
    const store = new ObjectStore(new ScaledClock(1), 5);
    for (let i = 0; i < 3000; i++) store.create('configmaps', configMap('default', `c${i}`));
    const newest = Number(store.resourceVersion());
    expect(() => store.watch('configmaps', { resourceVersion: String(newest - 6) }, () => {})).toThrow(
      StoreError,
    );
    const replayed: string[] = [];
    const watch = store.watch('configmaps', { resourceVersion: String(newest - 5) }, (e) =>
      replayed.push(e.object.metadata.name),
    );
    await Promise.resolve();
    watch.stop();
    expect(replayed).toEqual(['c2995', 'c2996', 'c2997', 'c2998', 'c2999']);
  });
});
