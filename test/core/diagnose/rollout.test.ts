import { describe, expect, it } from 'vitest';
import { diagnose, rolloutState, type WorkloadObject } from '../../../src/core/diagnose/index.js';
import { D, IMAGE, node, OK_FACT, pod, runningStatus, snapshot } from './fixtures.js';

const deploy = (status: WorkloadObject['status'], generation = 1): WorkloadObject => ({
  kind: 'Deployment',
  metadata: { name: 'web', generation },
  spec: { replicas: 3 },
  status,
});

describe('rolloutState (kubectl rollout status, in order)', () => {
  it.each([
    [
      'spec not observed',
      deploy({ observedGeneration: 1 }, 2),
      false,
      'Waiting for deployment spec update to be observed...',
    ],
    [
      'deadline exceeded',
      deploy({
        observedGeneration: 1,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      }),
      false,
      'deployment "web" exceeded its progress deadline',
    ],
    [
      'updating',
      deploy({ observedGeneration: 1, updatedReplicas: 1 }),
      false,
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    ],
    [
      'old pending',
      deploy({ observedGeneration: 1, updatedReplicas: 3, replicas: 4 }),
      false,
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    ],
    [
      'not available',
      deploy({ observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }),
      false,
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
    ],
    [
      'done',
      deploy({ observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }),
      true,
      'deployment "web" successfully rolled out',
    ],
  ])('%s', (_name, workload, done, message) => {
    expect(rolloutState(workload)).toMatchObject({ done, message });
  });
});

describe('StatefulSets and DaemonSets', () => {
  const podOf = (name: string, owner: string, labels: Record<string, string>, digest: string) => {
    const p = pod(name, undefined, 'node-1', runningStatus(`127.0.0.1:5000/app@${digest}`));
    return {
      ...p,
      metadata: { ...p.metadata, labels, ownerReferences: [{ kind: 'X', name: owner, uid: `uid-${owner}` }] },
    };
  };

  it('only pods of the update revision are judged; the rest make the rollout in progress', () => {
    const sts: WorkloadObject = {
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default', uid: 'uid-db', generation: 2 },
      spec: {
        replicas: 2,
        template: { spec: { containers: [{ name: 'app', image: IMAGE, imagePullPolicy: 'Always' }] } },
      },
      status: {
        observedGeneration: 2,
        readyReplicas: 2,
        replicas: 2,
        updatedReplicas: 1,
        currentRevision: 'db-1',
        updateRevision: 'db-2',
      },
    };
    const input = snapshot({
      workloads: [sts],
      pods: [
        podOf('db-0', 'db', { 'controller-revision-hash': 'db-1' }, D('a')),
        podOf('db-1', 'db', { 'controller-revision-hash': 'db-2' }, D('b')),
      ],
      nodes: [node('node-1')],
      registry: { [IMAGE]: OK_FACT(D('b')) },
    });
    const findings = diagnose(input);
    expect(findings.map((f) => f.code)).toEqual(['ROLLOUT_IN_PROGRESS', 'OK_CURRENT']);
    expect(findings[0]!.message).toBe(
      'waiting for statefulset rolling update to complete 1 pods at revision db-2...',
    );
    expect(findings[1]!.subject).toMatchObject({ kind: 'StatefulSet', name: 'db', pod: 'db-1' });
  });

  it('a DaemonSet judges pods of the current pod-template-generation', () => {
    const ds: WorkloadObject = {
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default', uid: 'uid-agent', generation: 3 },
      spec: {
        template: { spec: { containers: [{ name: 'app', image: IMAGE, imagePullPolicy: 'Always' }] } },
      },
      status: {
        observedGeneration: 3,
        desiredNumberScheduled: 1,
        updatedNumberScheduled: 1,
        numberAvailable: 1,
      },
    };
    const input = snapshot({
      workloads: [ds],
      pods: [podOf('agent-x', 'agent', { 'pod-template-generation': '3' }, D('a'))],
      nodes: [node('node-1')],
      registry: { [IMAGE]: OK_FACT(D('b')) },
    });
    expect(diagnose(input).map((f) => [f.code, f.subject.kind])).toEqual([['STALE_TAG_MOVED', 'DaemonSet']]);
    expect(diagnose(input)[0]!.remedy.commands).toEqual([
      `kubectl set image -n default daemonset/agent app=${IMAGE}@${D('b')}`,
    ]);
  });
});
