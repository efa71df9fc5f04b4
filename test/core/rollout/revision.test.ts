import { describe, expect, it } from 'vitest';
import type { PodObject } from '../../../src/core/diagnose/index.js';
import {
  currentRevision,
  currentRevisionHash,
  isPodOfRevision,
  podsOfRevision,
} from '../../../src/core/rollout/index.js';

/** A DaemonSet rolled back: template generation 3 (1 v1, 2 crash, 3 v1 again), metadata.generation 5. */
const daemonSet = {
  kind: 'DaemonSet',
  metadata: {
    name: 'agent',
    uid: 'ds1',
    // Spec changes outside the template (updateStrategy…) bump this but not the template generation.
    generation: 5,
    annotations: { 'deprecated.daemonset.template.generation': '3' },
  },
  status: { observedGeneration: 5 },
};
const revision = (name: string, number: number, hash: string, owner = 'ds1') => ({
  metadata: {
    name,
    labels: { 'controller-revision-hash': hash },
    ownerReferences: [{ kind: 'DaemonSet', uid: owner }],
  },
  revision: number,
});
// The v1 revision was renumbered 1 → 3 by the rollback; the crash revision stays 2.
const revisions = [
  revision('agent-crash', 2, 'bad'),
  revision('agent-v1', 3, 'good'),
  revision('x', 9, 'other', 'ds2'),
];
const pod = (name: string, generation: string, hash: string, extra: Partial<PodObject['metadata']> = {}) => ({
  metadata: {
    name,
    labels: { app: 'agent', 'pod-template-generation': generation, 'controller-revision-hash': hash },
    ...extra,
  },
});

describe('currentRevision: DaemonSet', () => {
  it('is the template generation from the annotation, or the newest own ControllerRevision hash', () => {
    expect(currentRevision(daemonSet, [], revisions)).toEqual({
      label: 'pod-template-generation',
      value: '3',
      alternatives: [{ label: 'controller-revision-hash', value: 'good' }],
    });
    expect(currentRevisionHash(daemonSet, revisions)).toBe('good');
    expect(currentRevisionHash(daemonSet, [])).toBeUndefined();
  });

  it('after a rollback, counts the pods the failed rollout never reached (old generation, current hash)', () => {
    const pods = [
      pod('agent-new', '3', 'good'),
      pod('agent-kept', '1', 'good'),
      pod('agent-crash', '2', 'bad'),
      pod('agent-going', '3', 'good', { deletionTimestamp: '2026-01-01T00:00:00Z' }),
    ];
    const identity = currentRevision(daemonSet, [], revisions)!;
    expect(podsOfRevision(pods, identity).map((p) => p.metadata.name)).toEqual(['agent-new', 'agent-kept']);
    expect(isPodOfRevision(pod('agent-crash', '2', 'bad'), identity)).toBe(false);
    expect(isPodOfRevision({ metadata: { name: 'bare' } }, identity)).toBe(false);
  });

  it('without ControllerRevisions names only the current template generation (not metadata.generation)', () => {
    const identity = currentRevision(daemonSet)!;
    expect(identity).toEqual({ label: 'pod-template-generation', value: '3' });
    expect(isPodOfRevision(pod('p', '5', 'x'), identity)).toBe(false);
    expect(isPodOfRevision(pod('agent-kept', '1', 'good'), identity)).toBe(false);
  });

  it('without the annotation names the pods by hash alone; with neither it is unknown', () => {
    const bare = { ...daemonSet, metadata: { ...daemonSet.metadata, annotations: {} } };
    expect(currentRevision(bare, [], revisions)).toEqual({
      label: 'controller-revision-hash',
      value: 'good',
    });
    expect(currentRevision(bare)).toBeUndefined();
  });

  it('is unknown until the controller has observed the spec', () => {
    expect(
      currentRevision({ ...daemonSet, status: { observedGeneration: 4 } }, [], revisions),
    ).toBeUndefined();
  });
});
