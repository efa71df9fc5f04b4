import { describe, expect, it } from 'vitest';
import type { PodObject } from '../../../src/core/diagnose/index.js';
import {
  checkRollout,
  currentRevision,
  podFailure,
  podsOfRevision,
  type RolloutObject,
} from '../../../src/core/rollout/index.js';

const waitingDeployment: RolloutObject = {
  kind: 'Deployment',
  metadata: { name: 'web', generation: 2 },
  spec: { replicas: 2 },
  status: { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 1 },
};

function pod(
  name: string,
  waiting?: { reason: string; message?: string },
  extra: Partial<PodObject['status']> = {},
): PodObject {
  return {
    metadata: { name, labels: { 'pod-template-hash': 'abc' } },
    spec: { nodeName: 'k3s-agent-1' },
    status: {
      conditions: [{ type: 'Ready', status: waiting ? 'False' : 'True' }],
      containerStatuses: [
        { name: 'app', restartCount: 2, ...(waiting ? { state: { waiting } } : { state: { running: {} } }) },
      ],
      ...extra,
    },
  };
}

describe('podFailure: the doctor codes of a pod that is not coming up', () => {
  it.each([
    [
      'pull error: not found',
      pod('a', {
        reason: 'ErrImagePull',
        message:
          'failed to pull and unpack image "r/x:1": failed to resolve reference "r/x:1": r/x:1: not found',
      }),
      'PULL_NOT_FOUND',
      'ErrImagePull: r/x:1: not found',
    ],
    [
      'pull back-off: refused',
      pod('a', {
        reason: 'ImagePullBackOff',
        message: 'Back-off pulling image "x": dial tcp 127.0.0.1:5000: connect: connection refused',
      }),
      'PULL_UNREACHABLE',
      undefined,
    ],
    [
      'crash loop',
      pod('a', { reason: 'CrashLoopBackOff', message: 'back-off 10s' }),
      'CRASH_LOOP',
      'CrashLoopBackOff',
    ],
    [
      'config missing',
      pod('a', { reason: 'CreateContainerConfigError', message: 'configmap "cfg" not found' }),
      'CONFIG_MISSING',
      'CreateContainerConfigError: configmap "cfg" not found',
    ],
  ])('%s', (_name, p, code, detail) => {
    const failure = podFailure(p);
    expect(failure?.code).toBe(code);
    expect(failure?.node).toBe('k3s-agent-1');
    if (detail !== undefined) expect(failure?.detail).toBe(detail);
  });

  it('a crash loop after an OOM kill is OOM_KILLED; creating containers is no failure', () => {
    const oom = pod('a', { reason: 'CrashLoopBackOff' });
    const statuses = oom.status!.containerStatuses!.map((s) => ({
      ...s,
      lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
    }));
    expect(podFailure({ ...oom, status: { ...oom.status, containerStatuses: statuses } })?.code).toBe(
      'OOM_KILLED',
    );
    expect(podFailure(pod('b', { reason: 'ContainerCreating' }))).toBeUndefined();
  });

  it('an unschedulable pod', () => {
    const p: PodObject = {
      metadata: { name: 'p' },
      status: {
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available',
          },
        ],
      },
    };
    expect(podFailure(p)).toMatchObject({ code: 'UNSCHEDULABLE', detail: '0/3 nodes are available' });
  });
});

describe('checkRollout: fail fast after the grace period', () => {
  const crashing = pod('web-1', { reason: 'CrashLoopBackOff' });
  it('waits while a failure is younger than the grace period, then fails naming the pod', () => {
    const first = checkRollout({
      workload: waitingDeployment,
      pods: [crashing, pod('web-2')],
      now: 1000,
      graceMs: 5000,
    });
    expect(first.state).toBe('waiting');
    expect(first.pods).toEqual({ total: 2, ready: 1 });
    expect(first.status.message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    );
    // Between restarts the container runs: the pod keeps its first-seen time.
    const running = pod('web-1', undefined);
    const notReady = {
      ...running,
      status: { ...running.status, conditions: [{ type: 'Ready', status: 'False' }] },
    };
    const second = checkRollout({
      workload: waitingDeployment,
      pods: [notReady],
      now: 4000,
      graceMs: 5000,
      since: first.since,
    });
    expect(second.state).toBe('waiting');
    const third = checkRollout({
      workload: waitingDeployment,
      pods: [crashing],
      now: 6000,
      graceMs: 5000,
      since: second.since,
    });
    expect(third.state).toBe('failed');
    expect(third.reason).toEqual({
      code: 'CRASH_LOOP',
      message: 'pod web-1 on k3s-agent-1: CrashLoopBackOff',
    });
  });

  it('a ready pod forgets its failure; a done rollout is done', () => {
    const first = checkRollout({ workload: waitingDeployment, pods: [crashing], now: 0, graceMs: 5000 });
    const ready = checkRollout({
      workload: waitingDeployment,
      pods: [pod('web-1')],
      now: 1000,
      graceMs: 5000,
      since: first.since,
    });
    expect(ready.since.size).toBe(0);
    const done = checkRollout({
      workload: {
        ...waitingDeployment,
        status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
      },
      pods: [pod('web-1'), pod('web-2')],
      now: 1000,
      graceMs: 5000,
    });
    expect(done.state).toBe('done');
  });

  it("kubectl's deadline error fails at once and names the worst pod", () => {
    const check = checkRollout({
      workload: {
        ...waitingDeployment,
        status: {
          ...waitingDeployment.status,
          conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }],
        },
      },
      pods: [crashing],
      now: 0,
      graceMs: 60_000,
    });
    expect(check.state).toBe('failed');
    expect(check.reason?.code).toBe('ROLLOUT_DEADLINE_EXCEEDED');
    expect(check.reason?.message).toBe(
      'deployment "web" exceeded its progress deadline: pod web-1 on k3s-agent-1: CrashLoopBackOff',
    );
  });
});

describe('currentRevision / podsOfRevision', () => {
  const deployment = {
    kind: 'Deployment',
    metadata: {
      name: 'web',
      uid: 'd1',
      generation: 3,
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    },
    status: { observedGeneration: 3 },
  };
  const rs = (name: string, revision: string, hash: string) => ({
    metadata: {
      name,
      labels: { 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': revision },
      ownerReferences: [{ kind: 'Deployment', uid: 'd1', name: 'web' }],
    },
  });
  it("a Deployment's revision is the ReplicaSet whose revision equals the Deployment's", () => {
    const identity = currentRevision(deployment, [rs('web-aaa', '1', 'aaa'), rs('web-bbb', '2', 'bbb')]);
    expect(identity).toEqual({
      label: 'pod-template-hash',
      value: 'bbb',
      revision: 2,
      replicaSet: 'web-bbb',
    });
    const pods = [
      { metadata: { name: 'p1', labels: { 'pod-template-hash': 'aaa' } } },
      { metadata: { name: 'p2', labels: { 'pod-template-hash': 'bbb' } } },
      { metadata: { name: 'p3', labels: { 'pod-template-hash': 'bbb' }, deletionTimestamp: 'x' } },
    ];
    expect(podsOfRevision(pods, identity!).map((p) => p.metadata?.name)).toEqual(['p2']);
  });
  it('unknown until the controller has observed the spec', () => {
    expect(
      currentRevision({ ...deployment, status: { observedGeneration: 2 } }, [rs('web-bbb', '2', 'bbb')]),
    ).toBeUndefined();
    expect(
      currentRevision({
        kind: 'StatefulSet',
        metadata: { generation: 1 },
        status: { observedGeneration: 1, updateRevision: 'db-7f' },
      }),
    ).toEqual({
      label: 'controller-revision-hash',
      value: 'db-7f',
    });
  });
});
