import { describe, expect, it } from 'vitest';
import { type RolloutObject, rolloutStatus } from '../../../src/core/rollout/index.js';

const deployment = (
  status: NonNullable<RolloutObject['status']>,
  generation = 2,
  replicas = 3,
): RolloutObject => ({
  kind: 'Deployment',
  metadata: { name: 'web', generation, annotations: { 'deployment.kubernetes.io/revision': '4' } },
  spec: { replicas },
  status,
});

describe('rolloutStatus: Deployment (kubectl rollout_status.go)', () => {
  it.each([
    [
      'spec not observed yet',
      deployment({ observedGeneration: 1 }),
      false,
      'Waiting for deployment spec update to be observed...',
    ],
    [
      'updated < replicas',
      deployment({ observedGeneration: 2, updatedReplicas: 1, replicas: 3 }),
      false,
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    ],
    [
      'old replicas pending termination',
      deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 5 }),
      false,
      'Waiting for deployment "web" rollout to finish: 2 old replicas are pending termination...',
    ],
    [
      'available < updated',
      deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 1 }),
      false,
      'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...',
    ],
    [
      'done',
      deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }),
      true,
      'deployment "web" successfully rolled out',
    ],
    [
      'scaled to zero',
      deployment({ observedGeneration: 2 }, 2, 0),
      true,
      'deployment "web" successfully rolled out',
    ],
  ])('%s', (_name, object, done, message) => {
    const status = rolloutStatus(object);
    expect(status).toEqual({ done, message });
  });

  it('a progress deadline is an error, checked after the generation and before the counts', () => {
    const conditions = [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }];
    expect(rolloutStatus(deployment({ observedGeneration: 2, updatedReplicas: 1, conditions }))).toEqual({
      done: false,
      message: 'deployment "web" exceeded its progress deadline',
      failed: {
        code: 'ROLLOUT_DEADLINE_EXCEEDED',
        message: 'deployment "web" exceeded its progress deadline',
      },
    });
    expect(rolloutStatus(deployment({ observedGeneration: 1, conditions })).failed).toBeUndefined();
  });

  it('--revision: a different running revision is an error', () => {
    const object = deployment({
      observedGeneration: 2,
      updatedReplicas: 3,
      replicas: 3,
      availableReplicas: 3,
    });
    expect(rolloutStatus(object, { revision: 4 }).done).toBe(true);
    expect(rolloutStatus(object, { revision: 3 }).failed).toEqual({
      code: 'ROLLOUT_REVISION_CHANGED',
      message: 'desired revision (3) is different from the running revision (4)',
    });
  });
});

describe('rolloutStatus: DaemonSet', () => {
  const ds = (status: NonNullable<RolloutObject['status']>, type?: string): RolloutObject => ({
    kind: 'DaemonSet',
    metadata: { name: 'agent', generation: 3 },
    spec: type === undefined ? {} : { updateStrategy: { type } },
    status,
  });
  it.each([
    [
      'not observed',
      ds({ observedGeneration: 2 }),
      false,
      'Waiting for daemon set spec update to be observed...',
    ],
    [
      'updating',
      ds({ observedGeneration: 3, desiredNumberScheduled: 5, updatedNumberScheduled: 2 }),
      false,
      'Waiting for daemon set "agent" rollout to finish: 2 out of 5 new pods have been updated...',
    ],
    [
      'becoming available',
      ds({ observedGeneration: 3, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 4 }),
      false,
      'Waiting for daemon set "agent" rollout to finish: 4 of 5 updated pods are available...',
    ],
    [
      'done',
      ds({ observedGeneration: 3, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 5 }),
      true,
      'daemon set "agent" successfully rolled out',
    ],
  ])('%s', (_name, object, done, message) => {
    expect(rolloutStatus(object)).toEqual({ done, message });
  });
  it('OnDelete cannot be waited on', () => {
    expect(rolloutStatus(ds({ observedGeneration: 3 }, 'OnDelete'))).toMatchObject({
      done: true,
      failed: {
        code: 'ROLLOUT_UNSUPPORTED_STRATEGY',
        message: 'rollout status is only available for RollingUpdate strategy type',
      },
    });
  });
});

describe('rolloutStatus: StatefulSet', () => {
  const sts = (
    status: NonNullable<RolloutObject['status']>,
    strategy?: NonNullable<RolloutObject['spec']>['updateStrategy'],
  ): RolloutObject => ({
    kind: 'StatefulSet',
    metadata: { name: 'db', generation: 2 },
    spec: { replicas: 3, ...(strategy ? { updateStrategy: strategy } : {}) },
    status,
  });
  it.each([
    ['never observed', sts({}), false, 'Waiting for statefulset spec update to be observed...'],
    [
      'not ready',
      sts({ observedGeneration: 2, readyReplicas: 1 }),
      false,
      'Waiting for 2 pods to be ready...',
    ],
    [
      'rolling, no rollingUpdate field',
      sts({
        observedGeneration: 2,
        readyReplicas: 3,
        updatedReplicas: 1,
        currentRevision: 'db-a',
        updateRevision: 'db-b',
      }),
      false,
      'waiting for statefulset rolling update to complete 1 pods at revision db-b...',
    ],
    [
      'complete',
      sts({
        observedGeneration: 2,
        readyReplicas: 3,
        currentReplicas: 3,
        currentRevision: 'db-b',
        updateRevision: 'db-b',
      }),
      true,
      'statefulset rolling update complete 3 pods at revision db-b...',
    ],
    [
      'partitioned, waiting',
      sts(
        { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1 },
        { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
      ),
      false,
      'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
    ],
    [
      'defaulted partition 0: kubectl reports the partitioned form',
      sts(
        { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3 },
        { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      ),
      true,
      'partitioned roll out complete: 3 new pods have been updated...',
    ],
  ])('%s', (_name, object, done, message) => {
    expect(rolloutStatus(object)).toEqual({ done, message });
  });
});
