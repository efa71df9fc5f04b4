import { describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../src/sim/clock.js';
import { deleteObject, deletePod } from '../../../src/sim/controllers/index.js';
import { ObjectStore } from '../../../src/sim/store/index.js';

function setup(spec: Record<string, unknown>, status: Record<string, unknown> = { phase: 'Running' }) {
  const clock = new ScaledClock(1, Date.parse('2025-03-01T10:00:00Z'));
  const store = new ObjectStore(clock);
  store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'x:1' }], ...spec },
    status,
  });
  return { clock, store };
}

describe('deletePod', () => {
  it('marks a pod bound to a node as terminating for its grace period', () => {
    const { store, clock } = setup({ nodeName: 'n1', terminationGracePeriodSeconds: 45 });
    const before = clock.now();
    const pod = deletePod(store, clock, 'default', 'p');
    expect(pod?.metadata.deletionGracePeriodSeconds).toBe(45);
    const at = Date.parse(pod!.metadata.deletionTimestamp!);
    expect(at - before).toBeGreaterThanOrEqual(44_000);
    expect(at - before).toBeLessThanOrEqual(46_000);
    expect(store.get('pods', 'default', 'p')).toBeDefined();
  });

  it('defaults the grace period to 30 seconds and keeps the first deadline on a repeat', () => {
    const { store, clock } = setup({ nodeName: 'n1' });
    const first = deletePod(store, clock, 'default', 'p');
    const again = deletePod(store, clock, 'default', 'p');
    expect(first?.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(again?.metadata.resourceVersion).toBe(first?.metadata.resourceVersion);
  });

  it.each([
    ['unbound', {}, { phase: 'Pending' }, undefined],
    ['finished', { nodeName: 'n1' }, { phase: 'Succeeded' }, undefined],
    ['forced with grace 0', { nodeName: 'n1' }, { phase: 'Running' }, 0],
  ])('removes a pod at once when %s', (_name, spec, status, grace) => {
    const { store, clock } = setup(spec, status);
    expect(deletePod(store, clock, 'default', 'p', { gracePeriodSeconds: grace })).toBeUndefined();
    expect(store.get('pods', 'default', 'p')).toBeUndefined();
  });

  it('keeps a pod with finalizers, only marking it', () => {
    const { store, clock } = setup({});
    const pod = store.get('pods', 'default', 'p')!;
    store.update('pods', {
      ...structuredClone(pod),
      metadata: { ...pod.metadata, finalizers: ['example.com/hold'] },
    });
    const marked = deletePod(store, clock, 'default', 'p');
    expect(marked?.metadata.deletionTimestamp).toBeDefined();
    expect(store.get('pods', 'default', 'p')).toBeDefined();
  });

  it('returns undefined for a pod that does not exist', () => {
    const { store, clock } = setup({});
    expect(deletePod(store, clock, 'default', 'missing')).toBeUndefined();
  });
});

describe('deleteObject', () => {
  it('foreground on a bound pod adds the finalizer and a graceful deadline', () => {
    const { store, clock } = setup({ nodeName: 'n1' });
    const pod = deleteObject(store, clock, 'pods', 'default', 'p', { propagationPolicy: 'Foreground' });
    expect(pod?.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(pod?.metadata.deletionGracePeriodSeconds).toBe(30);
  });
});
