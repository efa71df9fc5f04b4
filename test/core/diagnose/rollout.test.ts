import { describe, expect, it } from 'vitest';
import { diagnose, rolloutState, type WorkloadObject } from '../../../src/core/diagnose/index.js';
import { D, IMAGE, node, OK_FACT, pod, runningStatus, snapshot } from './fixtures.js';

const deploy = (status: WorkloadObject['status'], generation = 1): WorkloadObject => ({
  kind: 'Deployment',
  metadata: { name: 'web', generation },
  spec: { replicas: 3 },
  status,
});

// kubectl's checks, order and messages are tested in test/core/rollout/status.test.ts; here only
// how the doctor reads that evaluation.
describe('rolloutState', () => {
  it("passes kubectl's message through and marks a deadline exceeded as stuck", () => {
    const stuck = deploy({
      observedGeneration: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(rolloutState(stuck)).toEqual({
      done: false,
      stuck: true,
      message: 'deployment "web" exceeded its progress deadline',
    });
    const done = deploy({ observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 3 });
    expect(rolloutState(done)).toEqual({
      done: true,
      stuck: false,
      message: 'deployment "web" successfully rolled out',
    });
  });

  it('reads a workload without a kind as a Deployment', () => {
    const { kind: _kind, ...bare } = deploy({ observedGeneration: 1, updatedReplicas: 1 });
    expect(rolloutState(bare).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    );
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

  it('a DaemonSet names its current pods by the template generation, not metadata.generation', () => {
    // A change outside the template (here: generation 5) does not make the running pods old.
    const ds: WorkloadObject = {
      kind: 'DaemonSet',
      metadata: {
        name: 'agent',
        namespace: 'default',
        uid: 'uid-agent',
        generation: 5,
        annotations: { 'deprecated.daemonset.template.generation': '3' },
      },
      spec: {
        template: { spec: { containers: [{ name: 'app', image: IMAGE, imagePullPolicy: 'Always' }] } },
      },
      status: {
        observedGeneration: 5,
        desiredNumberScheduled: 1,
        updatedNumberScheduled: 1,
        numberAvailable: 1,
      },
    };
    const input = snapshot({
      workloads: [ds],
      pods: [
        podOf('agent-new', 'agent', { 'pod-template-generation': '3' }, D('b')),
        podOf('agent-old', 'agent', { 'pod-template-generation': '2' }, D('a')),
      ],
      nodes: [node('node-1')],
      registry: { [IMAGE]: OK_FACT(D('b')) },
    });
    const findings = diagnose(input);
    expect(findings.map((f) => f.code)).toEqual(['OK_CURRENT']);
    expect(findings[0]!.subject).toMatchObject({ kind: 'DaemonSet', name: 'agent' });
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
