import { describe, expect, it } from 'vitest';
import { type ClusterSnapshot, diagnose } from '../../../src/core/diagnose/index.js';
import type { Finding } from '../../../src/core/findings/index.js';
import {
  D,
  deployment,
  IMAGE,
  node,
  OK_FACT,
  pod,
  podEvent,
  replicaSet,
  runningStatus,
  snapshot,
  web,
} from './fixtures.js';

const REPO = '127.0.0.1:5000/app';
const PIN = `kubectl set image -n default deployment/web app=${IMAGE}@${D('b')}`;

function only(findings: Finding[], code: string): Finding {
  const matching = findings.filter((f) => f.code === code);
  expect(
    matching.map((f) => f.code),
    JSON.stringify(findings.map((f) => f.code)),
  ).toEqual([code]);
  return matching[0]!;
}

function waiting(reason: string, message: string) {
  return {
    name: 'app',
    image: IMAGE,
    imageID: '',
    ready: false,
    restartCount: 0,
    state: { waiting: { reason, message } },
  };
}

const two = (imageId: string, imageId2 = imageId) => [
  pod('web-abc-1', 'web-abc', 'node-1', runningStatus(imageId)),
  pod('web-abc-2', 'web-abc', 'node-2', runningStatus(imageId2)),
];

interface Case {
  readonly name: string;
  readonly input: ClusterSnapshot;
  readonly code: string;
  readonly message: string;
  readonly commands?: readonly string[];
  readonly subject?: Record<string, string>;
}

const CASES: Case[] = [
  {
    name: 'pinned spec, pods run the digest',
    input: web(
      two(`${REPO}@${D('b')}`),
      { [`${IMAGE}@${D('b')}`]: OK_FACT(D('b')) },
      { image: `${IMAGE}@${D('b')}` },
    ),
    code: 'OK_PINNED',
    message: 'all 2 pods run the pinned digest sha256:bbbbbbbbbbbb',
    commands: [],
  },
  {
    name: 'pinned spec, registry down: still OK because the pods run the pinned digest',
    input: web(
      two(`${REPO}@${D('b')}`),
      { [`${IMAGE}@${D('b')}`]: { ok: false, errorClass: 'unreachable', message: 'connection refused' } },
      { image: `${IMAGE}@${D('b')}` },
    ),
    code: 'OK_PINNED',
    message: 'all 2 pods run the pinned digest sha256:bbbbbbbbbbbb',
  },
  {
    name: 'tag current, docker-pullable spelling and familiar repo',
    input: web(
      two(`docker-pullable://${REPO}@${D('b')}`),
      { [IMAGE]: OK_FACT(D('b')) },
      { policy: 'Always' },
    ),
    code: 'OK_CURRENT',
    message: `all 2 pods run sha256:bbbbbbbbbbbb, the current digest of ${IMAGE}`,
    commands: [PIN],
  },
  {
    name: 'tag moved',
    input: web(two(`${REPO}@${D('a')}`), { [IMAGE]: OK_FACT(D('b')) }, { policy: 'Always' }),
    code: 'STALE_TAG_MOVED',
    message: `${IMAGE} now points to sha256:bbbbbbbbbbbb; all 2 pods run sha256:aaaaaaaaaaaa`,
    commands: [PIN],
  },
  {
    name: 'two nodes, two digests',
    input: web(
      two(`${REPO}@${D('a')}`, `${REPO}@${D('b')}`),
      { [IMAGE]: OK_FACT(D('b')) },
      { policy: 'Always' },
    ),
    code: 'MIXED_DIGESTS',
    message: `2 pods run 2 different digests of ${IMAGE}: sha256:aaaaaaaaaaaa on node-1 (1 pod), sha256:bbbbbbbbbbbb (current) on node-2 (1 pod); the registry has sha256:bbbbbbbbbbbb`,
    commands: [PIN],
  },
  {
    name: 'built on a node, never pushed',
    input: web(
      two(`${REPO}@${D('a')}`),
      { [IMAGE]: { ok: false, errorClass: 'not-found', message: 'manifest unknown', tags: ['v0'] } },
      { policy: 'Always' },
    ),
    code: 'NOT_IN_REGISTRY',
    message: `2 pods run ${IMAGE}, but the registry does not have it (manifest unknown); tags there: v0`,
    commands: [`kubefresh deploy -n default deployment/web --image ${REPO}`],
  },
  {
    name: 'imported on the nodes (bare config digest)',
    input: web(
      two(D('c')),
      { [IMAGE]: { ok: false, errorClass: 'not-found', message: 'manifest unknown' } },
      { policy: 'Always' },
    ),
    code: 'LOCAL_IMPORT',
    message: `2 pods run an imported image (imageID sha256:cccccccccccc has no repo digest) and the registry does not have ${IMAGE} (manifest unknown)`,
    commands: [`kubefresh deploy -n default deployment/web --image ${REPO}`],
  },
  {
    name: 'registry unreachable from kubefresh',
    input: web(
      two(`${REPO}@${D('a')}`),
      { [IMAGE]: { ok: false, errorClass: 'unreachable', message: 'connection refused' } },
      { policy: 'Always' },
    ),
    code: 'UNVERIFIABLE',
    message: `cannot check ${IMAGE} against the registry (connection refused); 2 pods run sha256:aaaaaaaaaaaa`,
    commands: [`kubefresh digest ${IMAGE}`],
  },
  {
    name: 'pull: tag missing, with the registry probe and its tags',
    input: web(
      [
        pod(
          'web-abc-1',
          'web-abc',
          'node-1',
          waiting(
            'ErrImagePull',
            `failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": ${IMAGE}: not found`,
          ),
        ),
      ],
      {
        [IMAGE]: { ok: false, errorClass: 'not-found', message: 'manifest unknown', tags: ['v0', 'latest'] },
      },
      { policy: 'Always' },
    ),
    code: 'PULL_NOT_FOUND',
    message: `pod web-abc-1 on node-1 cannot pull ${IMAGE}: tag v1 is not in ${REPO} (registry: manifest unknown); tags there: v0, latest`,
    commands: [`kubefresh deploy -n default deployment/web --image ${REPO}`],
    subject: {
      kind: 'Deployment',
      namespace: 'default',
      name: 'web',
      container: 'app',
      pod: 'web-abc-1',
      node: 'node-1',
    },
  },
  {
    name: 'pull: auth, from the event while backing off',
    input: web(
      [
        pod(
          'web-abc-1',
          'web-abc',
          'node-1',
          waiting('ImagePullBackOff', `Back-off pulling image "${IMAGE}"`),
        ),
      ],
      { [IMAGE]: OK_FACT(D('b')) },
      {
        policy: 'Always',
        events: [
          podEvent(
            'web-abc-1',
            'Failed',
            `Failed to pull image "${IMAGE}": failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
          ),
        ],
      },
    ),
    code: 'PULL_AUTH',
    message: `pod web-abc-1 on node-1 cannot pull ${IMAGE}: 127.0.0.1:5000 refused the pull without valid credentials (pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed)`,
    commands: [
      "kubectl create secret docker-registry regcred -n default --docker-server=127.0.0.1:5000 '--docker-username=<user>' '--docker-password=<password>'",
      `kubectl patch -n default deployment/web -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"regcred"}]}}}}'`,
    ],
  },
  {
    name: 'pull: localhost registry of another node → mirror snippet with a reachable address',
    input: web(
      [
        pod('web-abc-1', 'web-abc', 'node-1', runningStatus(`${REPO}@${D('b')}`)),
        pod(
          'web-abc-2',
          'web-abc',
          'node-2',
          waiting(
            'ErrImagePull',
            `failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": failed to do request: Head "http://127.0.0.1:5000/v2/app/manifests/v1": dial tcp 127.0.0.1:5000: connect: connection refused`,
          ),
        ),
      ],
      { [IMAGE]: OK_FACT(D('b')) },
      { policy: 'Always' },
    ),
    code: 'PULL_UNREACHABLE',
    message: `pod web-abc-2 on node-2 cannot pull ${IMAGE}: the node cannot reach 127.0.0.1:5000, which on each node means that node itself (failed to do request: Head "http://127.0.0.1:5000/v2/app/manifests/v1": dial tcp 127.0.0.1:5000: connect: connection refused)`,
    commands: [
      [
        '# on every node; where /etc/rancher/k3s/registries.yaml exists, merge this entry into it instead',
        "test -e /etc/rancher/k3s/registries.yaml || sudo tee /etc/rancher/k3s/registries.yaml <<'EOF'",
        'mirrors:',
        '  "127.0.0.1:5000":',
        '    endpoint:',
        '      - "http://10.0.0.1:5000"',
        'EOF',
        '# then: sudo systemctl restart k3s (servers) or k3s-agent (agents)',
      ].join('\n'),
    ],
  },
  {
    name: 'pull: TLS',
    input: web(
      [
        pod(
          'p',
          'web-abc',
          'node-1',
          waiting(
            'ErrImagePull',
            'failed to pull and unpack image "x": failed to resolve reference "x": failed to do request: Head "https://r/v2/app/manifests/v1": tls: failed to verify certificate: x509: certificate signed by unknown authority',
          ),
        ),
      ],
      {},
      { policy: 'Always' },
    ),
    code: 'PULL_TLS',
    message: `pod p on node-1 cannot pull ${IMAGE}: the node does not trust the certificate of 127.0.0.1:5000 (failed to do request: Head "https://r/v2/app/manifests/v1": tls: failed to verify certificate: x509: certificate signed by unknown authority)`,
  },
  {
    name: 'pull: HTTP registry reached over HTTPS',
    input: web(
      [
        pod(
          'p',
          'web-abc',
          'node-1',
          waiting(
            'ErrImagePull',
            'failed to pull and unpack image "x": failed to resolve reference "x": failed to do request: Head "https://r/v2/app/manifests/v1": http: server gave HTTP response to HTTPS client',
          ),
        ),
      ],
      {},
      { policy: 'Always' },
    ),
    code: 'PULL_HTTP_TO_HTTPS',
    message: `pod p on node-1 cannot pull ${IMAGE}: 127.0.0.1:5000 serves plain HTTP but the node used HTTPS (failed to do request: Head "https://r/v2/app/manifests/v1": http: server gave HTTP response to HTTPS client)`,
  },
  {
    name: 'pull: rate limited',
    input: web(
      [
        pod(
          'p',
          'web-abc',
          'node-1',
          waiting(
            'ErrImagePull',
            'failed to pull and unpack image "x": failed to copy: httpReadSeeker: failed open: unexpected status code https://r/v2/app/manifests/v1: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit',
          ),
        ),
      ],
      {},
      { policy: 'Always' },
    ),
    code: 'PULL_RATE_LIMITED',
    message: `pod p on node-1 cannot pull ${IMAGE}: 127.0.0.1:5000 rate limited the pull (failed to copy: httpReadSeeker: failed open: unexpected status code https://r/v2/app/manifests/v1: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit)`,
  },
  {
    name: 'pull policy Never and not on the node',
    input: web(
      [
        pod(
          'p',
          'web-abc',
          'node-2',
          waiting('ErrImageNeverPull', `Container image "${IMAGE}" is not present with pull policy of Never`),
        ),
      ],
      {},
      { policy: 'Always' },
    ),
    code: 'PULL_NEVER_NOT_PRESENT',
    message: `pod p on node-2 cannot start app: ${IMAGE} is not on the node and imagePullPolicy is Never`,
  },
  {
    name: 'invalid image name',
    input: web(
      [
        pod(
          'p',
          'web-abc',
          'node-1',
          waiting('InvalidImageName', 'Failed to apply default image tag "MyApp:v1"'),
          { image: 'MyApp:v1' },
        ),
      ],
      {},
      { image: 'MyApp:v1', policy: 'Always' },
    ),
    code: 'INVALID_IMAGE_NAME',
    message:
      'pod p on node-1 cannot start app: "MyApp:v1" is not a valid image reference (invalid reference format: repository name (library/MyApp) must be lowercase)',
    commands: ['kubefresh ref MyApp:v1'],
  },
  {
    name: 'missing ConfigMap key',
    input: web(
      [
        pod(
          'p',
          'web-abc',
          'node-1',
          waiting('CreateContainerConfigError', "couldn't find key LEVEL in ConfigMap default/settings"),
        ),
      ],
      {},
      { policy: 'Always' },
    ),
    code: 'CONFIG_MISSING',
    message: 'pod p on node-1 cannot start app: key LEVEL is missing from ConfigMap default/settings',
    commands: [`kubectl patch configmap settings -n default --type merge -p '{"data":{"LEVEL":"<value>"}}'`],
  },
  {
    name: 'missing Secret',
    input: web(
      [pod('p', 'web-abc', 'node-1', waiting('CreateContainerConfigError', 'secret "db" not found'))],
      {},
      { policy: 'Always' },
    ),
    code: 'CONFIG_MISSING',
    message: 'pod p on node-1 cannot start app: Secret db does not exist',
    commands: ["kubectl create secret generic db -n default '--from-literal=KEY=<value>'"],
  },
  {
    name: 'crash loop with the previous log',
    input: {
      ...web(
        [
          pod('web-abc-1', 'web-abc', 'node-1', {
            name: 'app',
            image: IMAGE,
            imageID: `${REPO}@${D('b')}`,
            restartCount: 4,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: 'back-off 40s restarting failed container=app pod=web-abc-1_default(uid)',
              },
            },
            lastState: { terminated: { reason: 'Error', exitCode: 1 } },
          }),
        ],
        { [IMAGE]: OK_FACT(D('b')) },
        { policy: 'Always' },
      ),
      logs: { 'default/web-abc-1/app': ['starting', 'panic: DATABASE_URL is not set'] },
    },
    code: 'CRASH_LOOP',
    message:
      'pod web-abc-1 on node-1 is crash-looping in app: exit code 1 (Error), 4 restarts; last log line: "panic: DATABASE_URL is not set"',
    commands: ['kubectl logs -n default web-abc-1 -c app --previous'],
  },
  {
    name: 'OOM killed',
    input: web(
      [
        pod('p', 'web-abc', 'node-1', {
          name: 'app',
          image: IMAGE,
          imageID: `${REPO}@${D('b')}`,
          restartCount: 2,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
        }),
      ],
      { [IMAGE]: OK_FACT(D('b')) },
      { policy: 'Always' },
    ),
    code: 'OOM_KILLED',
    message: 'pod p on node-1 was OOMKilled in app (exit code 137), 2 restarts',
    commands: ["kubectl set resources -n default deployment/web -c app '--limits=memory=<more>'"],
  },
  {
    name: 'unschedulable',
    input: web(
      [
        pod('p', 'web-abc', undefined, undefined, {
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/2 nodes are available: 2 Insufficient memory.',
            },
          ],
        }),
      ],
      {},
      { policy: 'Always' },
    ),
    code: 'UNSCHEDULABLE',
    message: 'pod p cannot be scheduled: 0/2 nodes are available: 2 Insufficient memory.',
    commands: ['kubectl describe pod -n default p', 'kubectl get nodes -o wide'],
    subject: { kind: 'Deployment', namespace: 'default', name: 'web', pod: 'p' },
  },
  {
    name: 'rollout past its deadline',
    input: web(
      [],
      {},
      {
        policy: 'Always',
        status: {
          observedGeneration: 1,
          replicas: 2,
          updatedReplicas: 1,
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'ReplicaSet "web-abc" has timed out progressing.',
            },
          ],
        },
      },
    ),
    code: 'ROLLOUT_STUCK',
    message:
      'deployment "web" exceeded its progress deadline: ReplicaSet "web-abc" has timed out progressing.',
    commands: ['kubectl rollout status -n default deployment/web'],
  },
  {
    name: 'rollout in progress',
    input: web(
      [],
      {},
      {
        policy: 'Always',
        status: { observedGeneration: 1, replicas: 3, updatedReplicas: 1, availableReplicas: 2 },
      },
    ),
    code: 'ROLLOUT_IN_PROGRESS',
    message: 'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...',
    commands: ['kubectl rollout status -n default deployment/web'],
  },
];

describe('diagnose: one table row per code', () => {
  it.each(CASES)('$code: $name', ({ input, code, message, commands, subject }) => {
    const finding = only(diagnose(input), code);
    expect(finding.message).toBe(message);
    if (commands !== undefined) expect(finding.remedy.commands).toEqual(commands);
    if (subject !== undefined) expect(finding.subject).toEqual(subject);
  });
});

describe('diagnose: risks and combinations', () => {
  it('POLICY_RISK for a moving tag with IfNotPresent, beside the verdict', () => {
    const findings = diagnose(web(two(`${REPO}@${D('b')}`), { [IMAGE]: OK_FACT(D('b')) }));
    expect(findings.map((f) => f.code)).toEqual(['OK_CURRENT', 'POLICY_RISK']);
    expect(findings[1]!.message).toBe(
      `${IMAGE} is a moving tag with imagePullPolicy IfNotPresent: each node keeps the digest it cached first`,
    );
    expect(findings[1]!.severity).toBe('warning');
    expect(findings[1]!.remedy.commands).toEqual([PIN]);
  });

  it('STALE_NODE_CACHE names the node whose cache holds an old digest under the tag', () => {
    const nodes = [
      node('node-1', 'amd64', [{ names: [`${REPO}@${D('b')}`, IMAGE] }]),
      node('node-2', 'amd64', [{ names: [`${REPO}@${D('b')}`, IMAGE] }]),
      node('node-3', 'amd64', [{ names: [`${REPO}@${D('a')}`, IMAGE] }]),
    ];
    const findings = diagnose(web(two(`${REPO}@${D('b')}`), { [IMAGE]: OK_FACT(D('b')) }, { nodes }));
    const finding = only(findings, 'STALE_NODE_CACHE');
    expect(finding.message).toBe(
      `node node-3 caches ${IMAGE} as sha256:aaaaaaaaaaaa, but the registry has sha256:bbbbbbbbbbbb: the next pod started there with IfNotPresent runs the old image`,
    );
    expect(finding.subject.node).toBe('node-3');
    expect(finding.remedy.commands).toEqual([PIN]);
    expect(finding.evidence.nodeCache).toEqual([
      { node: 'node-1', digests: [D('b')], stale: false },
      { node: 'node-2', digests: [D('b')], stale: false },
      { node: 'node-3', digests: [D('a')], stale: true },
    ]);
  });

  it('STALE_NODE_CACHE with Never adds crictl rmi for that node, since pinning cannot make it pull', () => {
    const nodes = [node('node-1'), node('node-3', 'amd64', [{ names: [`${REPO}@${D('a')}`, IMAGE] }])];
    const finding = only(
      diagnose(web(two(`${REPO}@${D('b')}`), { [IMAGE]: OK_FACT(D('b')) }, { nodes, policy: 'Never' })),
      'STALE_NODE_CACHE',
    );
    expect(finding.remedy.commands).toEqual([PIN, `k3s crictl rmi ${IMAGE}  # on node node-3`]);
  });

  it('a multi-platform index: an arm64 node running the arm64 child is current', () => {
    const fact = OK_FACT(D('d'), {
      mediaType: 'application/vnd.oci.image.index.v1+json',
      children: [
        { platform: { os: 'linux', architecture: 'amd64' }, digest: D('1'), configDigest: D('e') },
        { platform: { os: 'linux', architecture: 'arm64' }, digest: D('2'), configDigest: D('f') },
      ],
    });
    const nodes = [node('node-1', 'amd64'), node('node-2', 'arm64')];
    const input = web(
      two(`${REPO}@${D('d')}`, `${REPO}@${D('2')}`),
      { [IMAGE]: fact },
      { nodes, policy: 'Always' },
    );
    const finding = only(diagnose(input), 'OK_CURRENT');
    expect(finding.message).toBe(
      `all 2 pods run sha256:dddddddddddd, the current digest of ${IMAGE} (matched the node platform's image in the index)`,
    );
    expect((finding.evidence.pods as { match: string }[]).map((p) => p.match)).toEqual([
      'top',
      'platform-child',
    ]);
  });

  it('the amd64 child on an arm64 node is not a match', () => {
    const fact = OK_FACT(D('d'), {
      mediaType: 'application/vnd.oci.image.index.v1+json',
      children: [
        { platform: { os: 'linux', architecture: 'amd64' }, digest: D('1') },
        { platform: { os: 'linux', architecture: 'arm64' }, digest: D('2') },
      ],
    });
    const input = web(
      two(`${REPO}@${D('1')}`, `${REPO}@${D('1')}`),
      { [IMAGE]: fact },
      { nodes: [node('node-1', 'amd64'), node('node-2', 'arm64')], policy: 'Always' },
    );
    expect(diagnose(input).map((f) => f.code)).toEqual(['MIXED_DIGESTS']);
  });

  it('an imported copy whose config digest equals the registry image is current', () => {
    const fact = OK_FACT(D('b'), { configDigest: D('c') });
    const finding = only(diagnose(web(two(D('c')), { [IMAGE]: fact }, { policy: 'Always' })), 'OK_CURRENT');
    expect(finding.message).toContain('(matched by config digest: an imported copy of it)');
  });

  it('old ReplicaSet pods during a rollout do not make the verdict mixed', () => {
    const input = snapshot({
      workloads: [
        deployment('web', IMAGE, {
          policy: 'Always',
          revision: 2,
          status: { observedGeneration: 1, replicas: 3, updatedReplicas: 2, availableReplicas: 3 },
        }),
      ],
      replicaSets: [replicaSet('web', 'old', 1), replicaSet('web', 'new', 2)],
      pods: [
        pod('web-old-1', 'web-old', 'node-1', runningStatus(`${REPO}@${D('a')}`)),
        pod('web-new-1', 'web-new', 'node-1', runningStatus(`${REPO}@${D('b')}`)),
        pod('web-new-2', 'web-new', 'node-2', runningStatus(`${REPO}@${D('b')}`)),
      ],
      nodes: [node('node-1'), node('node-2')],
      registry: { [IMAGE]: OK_FACT(D('b')) },
    });
    const findings = diagnose(input);
    expect(findings.map((f) => f.code)).toEqual(['ROLLOUT_IN_PROGRESS', 'OK_CURRENT']);
    expect(findings[0]!.message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    );
    expect(findings[0]!.evidence.oldPods).toEqual(['web-old-1']);
  });

  it('a bare pod is its own subject', () => {
    const input = snapshot({
      pods: [pod('solo', undefined, 'node-1', runningStatus(`${REPO}@${D('b')}`))],
      nodes: [node('node-1')],
      registry: { [IMAGE]: OK_FACT(D('b')) },
    });
    const findings = diagnose(input);
    expect(findings[0]).toMatchObject({
      code: 'OK_CURRENT',
      subject: { kind: 'Pod', name: 'solo', container: 'app', pod: 'solo', node: 'node-1' },
    });
    expect(findings[1]!.remedy.commands).toEqual([
      `kubectl set image -n default pod/solo app=${IMAGE}@${D('b')}`,
    ]);
  });

  it('pull failures fall back to the registry probe when the kubelet text is not recognised', () => {
    const input = web(
      [pod('p', 'web-abc', 'node-1', waiting('ImagePullBackOff', `Back-off pulling image "${IMAGE}"`))],
      { [IMAGE]: { ok: false, errorClass: 'not-found', message: 'manifest unknown' } },
      { policy: 'Always' },
    );
    expect(only(diagnose(input), 'PULL_NOT_FOUND').message).toBe(
      `pod p on node-1 cannot pull ${IMAGE}: tag v1 is not in ${REPO} (registry: manifest unknown)`,
    );
  });

  it('evidence carries the spec image, the registry digest and each pod with its node and digest', () => {
    const finding = only(
      diagnose(web(two(`${REPO}@${D('a')}`), { [IMAGE]: OK_FACT(D('b')) }, { policy: 'Always' })),
      'STALE_TAG_MOVED',
    );
    expect(finding.evidence).toEqual({
      specImage: IMAGE,
      pullPolicy: 'Always',
      registry: { digest: D('b'), mediaType: 'application/vnd.oci.image.manifest.v1+json' },
      pods: [
        { pod: 'web-abc-1', node: 'node-1', imageID: `${REPO}@${D('a')}`, digest: D('a'), match: null },
        { pod: 'web-abc-2', node: 'node-2', imageID: `${REPO}@${D('a')}`, digest: D('a'), match: null },
      ],
      nodeCache: [],
    });
  });
});

describe('diagnose: imported images without a registry answer', () => {
  it('bare config digests are LOCAL_IMPORT even when the registry cannot be asked', () => {
    const input = web(
      two(D('c')),
      { [IMAGE]: { ok: false, errorClass: 'unreachable', message: 'connection refused' } },
      { policy: 'Always' },
    );
    expect(only(diagnose(input), 'LOCAL_IMPORT').message).toBe(
      '2 pods run an imported image (imageID sha256:cccccccccccc has no repo digest); the registry could not be checked (connection refused)',
    );
  });
});

describe('diagnose: volumes', () => {
  it('a missing ConfigMap volume (FailedMount, pod stays ContainerCreating) is CONFIG_MISSING', () => {
    const input = web(
      [pod('p', 'web-abc', 'node-1', waiting('ContainerCreating', ''))],
      {},
      {
        policy: 'Always',
        events: [
          podEvent(
            'p',
            'FailedMount',
            'MountVolume.SetUp failed for volume "cfg" : configmap "settings" not found',
          ),
        ],
      },
    );
    const finding = only(diagnose(input), 'CONFIG_MISSING');
    expect(finding.message).toBe(
      'pod p on node-1 cannot start app: ConfigMap settings does not exist (volume cfg)',
    );
    expect(finding.remedy.commands).toEqual([
      "kubectl create configmap settings -n default '--from-literal=KEY=<value>'",
    ]);
  });
});
