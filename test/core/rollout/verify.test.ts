import { describe, expect, it } from 'vitest';
import type { NodeObject, PodObject } from '../../../src/core/diagnose/index.js';
import { planRollback, verifyPods } from '../../../src/core/rollout/index.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const nodes: NodeObject[] = [
  { metadata: { name: 'amd' }, status: { nodeInfo: { operatingSystem: 'linux', architecture: 'amd64' } } },
  { metadata: { name: 'arm' }, status: { nodeInfo: { operatingSystem: 'linux', architecture: 'arm64' } } },
];
const pod = (name: string, node: string, imageID: string, ready = true): PodObject => ({
  metadata: { name },
  spec: { nodeName: node },
  status: {
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    containerStatuses: [{ name: 'app', imageID }],
  },
});
const index = {
  digest: D('1'),
  mediaType: 'application/vnd.oci.image.index.v1+json',
  children: [
    { platform: { os: 'linux', architecture: 'amd64' }, digest: D('a'), configDigest: D('c') },
    { platform: { os: 'linux', architecture: 'arm64' }, digest: D('b'), configDigest: D('d') },
  ],
};

describe('verifyPods', () => {
  it('index-aware: the index digest, the node platform child, or (imported) its config digest all match', () => {
    const v = verifyPods({
      pods: [
        pod('p1', 'amd', `r/app@${D('1')}`),
        pod('p2', 'arm', `docker-pullable://r/app@${D('b')}`),
        pod('p3', 'amd', D('c')),
      ],
      desired: 3,
      container: 'app',
      expected: index,
      nodes,
    });
    expect(v.ok).toBe(true);
    expect(v.pods.map((p) => p.match)).toEqual(['top', 'platform-child', 'config']);
    expect(v.byNode).toEqual({ amd: 2, arm: 1 });
    expect(v.message).toBe('3/3 pods ready on sha256:111111111111 (amd 2, arm 1)');
  });

  it("another platform's child, a stale digest, a missing pod and an unready pod are each named", () => {
    const v = verifyPods({
      pods: [
        pod('p1', 'arm', `r/app@${D('a')}`),
        pod('p2', 'amd', `r/app@${D('9')}`),
        pod('p3', 'amd', `r/app@${D('1')}`, false),
      ],
      desired: 4,
      container: 'app',
      expected: index,
      nodes,
    });
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([
      '3 pods of the new revision, expected 4',
      'pod p1 on arm runs sha256:aaaaaaaaaaaa, not sha256:111111111111',
      'pod p2 on amd runs sha256:999999999999, not sha256:111111111111',
      'pod p3 on amd is not ready',
    ]);
    expect(v.message).toBe('0/4 pods verified: 3 pods of the new revision, expected 4 (+3 more)');
  });
});

describe('planRollback (kubectl rollout undo)', () => {
  const deployment = {
    kind: 'Deployment',
    metadata: { name: 'web', uid: 'u', annotations: { 'deployment.kubernetes.io/revision': '3' } },
    spec: {
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'r/web:3' }] },
      },
    },
  };
  const rs = (revision: number, image: string, cause?: string) => ({
    metadata: {
      name: `web-${revision}`,
      ownerReferences: [{ kind: 'Deployment', uid: 'u' }],
      annotations: {
        'deployment.kubernetes.io/revision': String(revision),
        ...(cause ? { 'kubernetes.io/change-cause': cause } : {}),
      },
    },
    spec: {
      template: {
        metadata: { labels: { app: 'web', 'pod-template-hash': `h${revision}` } },
        spec: { containers: [{ name: 'app', image }] },
      },
    },
  });
  const history = [
    rs(1, 'r/web:1', 'first'),
    rs(3, 'r/web:3'),
    rs(2, 'r/web:2@sha256:x', 'kubefresh deploy r/web:2@sha256:x'),
  ];

  it('picks the second-highest revision, drops pod-template-hash, carries the change cause', () => {
    expect(planRollback(deployment, history)).toEqual({
      revision: 2,
      replicaSet: 'web-2',
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'r/web:2@sha256:x' }] },
      },
      changeCause: 'kubefresh deploy r/web:2@sha256:x',
      unchanged: false,
    });
    expect(planRollback(deployment, history, 3).unchanged).toBe(true);
  });

  it("kubectl's errors", () => {
    expect(() => planRollback(deployment, [rs(3, 'r/web:3')])).toThrow(
      'no rollout history found for deployment "web"',
    );
    expect(() => planRollback(deployment, history, 7)).toThrow(
      'unable to find specified revision 7 in history',
    );
  });
});
