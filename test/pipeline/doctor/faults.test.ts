import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKubeClient } from '../../../src/adapters/kube/index.js';
import { RegistryClient, staticCredentials } from '../../../src/adapters/registry/index.js';
import { KubefreshError } from '../../../src/errors/index.js';
import { runDoctor } from '../../../src/pipeline/doctor/index.js';
import type { KubeClient } from '../../../src/ports/kube.js';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import { actions, appImage, deploymentObject, waitForRollout } from '../../../src/sim/scenarios/index.js';
import { buildMultiPlatformImage } from '../../../src/testing/index.js';
import { runKubefresh } from '../../support/cli.js';
import { codesByWorkload, doctorJson, registryFlags } from './support.js';

/**
 * doctor on a two-node mixed-architecture cluster: a multi-platform image, a digest-pinned workload,
 * a registry that is down or slow for one repository, API failures and RBAC on secrets.
 */
describe('kubefresh doctor: platforms, pinning and faults', () => {
  let cluster: SimCluster;
  let ns: string;
  let pinnedDigest: string;
  let multiDigest: string;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 2, arch: ['amd64', 'arm64'], speed: 100 });
    ns = 'faults';
    const registry = cluster.registry!.name;
    const act = actions(cluster, ns);
    await act.namespace();
    const multi = await cluster.pushImage(
      `${registry}/faults/multi:v1`,
      buildMultiPlatformImage(appImage('m1'), ['linux/amd64', 'linux/arm64']),
    );
    multiDigest = multi.digest;
    const pinned = await cluster.pushImage(`${registry}/faults/pinned:v1`, appImage('p1'));
    pinnedDigest = pinned.digest;
    await cluster.pushImage(`${registry}/faults/slow:v1`, appImage('s1'));
    await act.deploy({
      name: 'multi',
      image: `${registry}/faults/multi:v1`,
      replicas: 2,
      pullPolicy: 'Always',
    });
    await act.deploy({ name: 'pinned', image: `${registry}/faults/pinned:v1@${pinnedDigest}`, replicas: 2 });
    await act.deploy({
      name: 'slow',
      image: `${registry}/faults/slow:v1`,
      replicas: 1,
      pullPolicy: 'Always',
    });
    for (const name of ['multi', 'pinned', 'slow']) await waitForRollout(cluster.store, ns, name);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('a multi-platform image on amd64 and arm64 nodes is current; a pinned workload is OK_PINNED', async () => {
    const { code, report } = await doctorJson(cluster, ['-n', ns]);
    expect(code).toBe(0);
    expect(codesByWorkload(report)).toEqual({
      multi: ['OK_CURRENT'],
      pinned: ['OK_PINNED'],
      slow: ['OK_CURRENT'],
    });
    const multi = report.findings.find((f) => f.subject.name === 'multi')!;
    expect(multi.evidence.registry).toMatchObject({
      digest: multiDigest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
    });
    expect(new Set((multi.evidence.pods as { node: string }[]).map((p) => p.node))).toEqual(
      new Set(['k3s-server', 'k3s-agent-1']),
    );
    expect(report.summary.text).toBe('3 workloads: 3 ok');
  });

  it('a registry that is down: nothing reads OK except what is pinned and verified by the pods', async () => {
    const flags = registryFlags(cluster).map((f) => f.replace(/=127\.0\.0\.1$/, '=127.0.0.2'));
    const result = await runKubefresh(
      ['doctor', '--kubeconfig', cluster.kubeconfigPath, '-n', ns, '-o', 'json', '--timeout', '2s', ...flags],
      { env: { HOME: '/nonexistent' } },
    );
    const report = JSON.parse(result.stdout);
    expect(codesByWorkload(report)).toEqual({
      multi: ['UNVERIFIABLE'],
      pinned: ['OK_PINNED'],
      slow: ['UNVERIFIABLE'],
    });
    expect(report.findings[0].message).toMatch(
      /^cannot check registry\.sim:\d+\/faults\/multi:v1 against the registry \(cannot reach registry registry\.sim:\d+ for registry\.sim:\d+\/faults\/multi: connection refused/,
    );
    expect(result.code).toBe(0);
    const strict = await runKubefresh(
      [
        'doctor',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '-n',
        ns,
        '-o',
        'json',
        '--timeout',
        '2s',
        '--fail-on',
        'warning',
        ...flags,
      ],
      { env: { HOME: '/nonexistent' } },
    );
    expect(strict.code).toBe(1);
  });

  it('a registry that times out for one repository: that row is UNVERIFIABLE, the rest still diagnosed', async () => {
    const fault = cluster.registry!.registry.faults.add({
      match: { repository: 'faults/slow' },
      latencyMs: 3000,
    });
    try {
      const { report } = await doctorJson(cluster, ['-n', ns, '--timeout', '300ms']);
      expect(codesByWorkload(report)).toEqual({
        multi: ['OK_CURRENT'],
        pinned: ['OK_PINNED'],
        slow: ['UNVERIFIABLE'],
      });
      expect(report.findings.find((f) => f.subject.name === 'slow')!.evidence.registry).toMatchObject({
        error: 'unreachable',
      });
    } finally {
      fault.remove();
    }
  });

  it('costs a fixed number of API requests and one registry lookup per distinct image', async () => {
    const result = await runKubefresh(
      ['doctor', '-v', '--kubeconfig', cluster.kubeconfigPath, '-n', ns, ...registryFlags(cluster)],
      {
        env: { HOME: '/nonexistent', NO_COLOR: '1' },
      },
    );
    // deployments, statefulsets, daemonsets, replicasets, pods, nodes, events; a ping + 3 HEADs.
    expect(result.stderr).toBe('requests: 7 to the API server, 4 to registries\n');
  });

  it('scopes to one workload, one pod, or a label selector', async () => {
    const one = await doctorJson(cluster, ['-n', ns, 'deploy/pinned']);
    expect(codesByWorkload(one.report)).toEqual({ pinned: ['OK_PINNED'] });
    const podName = (await doctorJson(cluster, ['-n', ns])).report.findings.find(
      (f) => f.subject.name === 'slow',
    )!.subject.pod!;
    const pod = await doctorJson(cluster, ['-n', ns, `pod/${podName}`]);
    expect(pod.report.workloads).toEqual([
      { kind: 'Pod', namespace: ns, name: podName, verdict: 'ok', codes: ['OK_CURRENT'] },
    ]);
    const labelled = await doctorJson(cluster, ['-n', ns, '-l', 'app=multi']);
    expect(Object.keys(codesByWorkload(labelled.report))).toEqual(['multi']);
    const missing = await runKubefresh([
      'doctor',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '-n',
      ns,
      'deployment/nope',
      ...registryFlags(cluster),
    ]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('deployments.apps "nope" not found');
  });

  it('API 5xx: a clear error and exit code 3', async () => {
    cluster.api.setFaults({ errorRate: 1 });
    try {
      const result = await runKubefresh(
        ['doctor', '--kubeconfig', cluster.kubeconfigPath, '-n', ns, ...registryFlags(cluster)],
        { env: { HOME: '/nonexistent' } },
      );
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^error: the API server failed \(HTTP 500\): /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      cluster.api.setFaults({});
    }
  });

  it('API timeouts: --request-timeout gives KUBE_TIMEOUT and exit code 3', async () => {
    cluster.api.setFaults({ latencyMs: 1000 });
    try {
      const result = await runKubefresh(
        [
          'doctor',
          '--kubeconfig',
          cluster.kubeconfigPath,
          '-n',
          ns,
          '--request-timeout',
          '100ms',
          ...registryFlags(cluster),
        ],
        { env: { HOME: '/nonexistent' } },
      );
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^error: the request to the server 127\.0\.0\.1:\d+ timed out/);
      expect(result.stderr).toContain('--request-timeout');
    } finally {
      cluster.api.setFaults({});
    }
  });

  it('text output: grouped by workload with a verdict, a summary line, and a fix line for problems', async () => {
    const result = await runKubefresh(
      ['doctor', '--kubeconfig', cluster.kubeconfigPath, '-n', ns, '-o', 'wide', ...registryFlags(cluster)],
      { env: { HOME: '/nonexistent', NO_COLOR: '1' } },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`✓ ok          deployment/multi -n ${ns}`);
    expect(result.stdout).toMatch(
      / {4}app {2}OK_PINNED {2}all 2 pods run the pinned digest sha256:[0-9a-f]{12}\n/,
    );
    expect(result.stdout).toMatch(
      / {6}pod pinned-[a-z0-9-]+ {2}node k3s-(server|agent-1) {2}sha256:[0-9a-f]{64} \(top\) {2}age \d+s/,
    );
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('3 workloads: 3 ok');
  });
});

describe('--use-pull-secrets', () => {
  let cluster: SimCluster;
  const ns = 'secrets';
  let privateRef: string;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 1, speed: 100 });
    const privateRegistry = await cluster.addRegistry({
      name: 'private.sim',
      auth: { type: 'basic', users: { ci: 'ci-secret' } },
    });
    privateRef = `${privateRegistry.name}/secrets/app:v1`;
    await cluster.pushImage(privateRef, appImage('v1'));
    const act = actions(cluster, ns);
    await act.namespace();
    const auth = Buffer.from('ci:ci-secret').toString('base64');
    const dockerconfig = Buffer.from(
      JSON.stringify({ auths: { [privateRegistry.name]: { auth } } }),
    ).toString('base64');
    await fetch(`${cluster.apiUrl}/api/v1/namespaces/${ns}/secrets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'regcred' },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': dockerconfig },
      }),
    });
    const deployment = deploymentObject(ns, {
      name: 'web',
      image: privateRef,
      replicas: 1,
      pullPolicy: 'Always',
    }) as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    deployment.spec.template.spec.imagePullSecrets = [{ name: 'regcred' }];
    await fetch(`${cluster.apiUrl}/apis/apps/v1/namespaces/${ns}/deployments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(deployment),
    });
    await waitForRollout(cluster.store, ns, 'web');
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('without pull secrets the private registry is UNVERIFIABLE; with them the pods are verified current', async () => {
    const without = await doctorJson(cluster, ['-n', ns]);
    expect(codesByWorkload(without.report)).toEqual({ web: ['UNVERIFIABLE'] });
    const withSecrets = await doctorJson(cluster, ['-n', ns, '--use-pull-secrets']);
    expect(codesByWorkload(withSecrets.report)).toEqual({ web: ['OK_CURRENT'] });
    expect(JSON.stringify(withSecrets.report)).not.toContain('ci-secret');
  });

  it('a 403 on secrets is a hint about RBAC, not a failure', async () => {
    const real = new HttpKubeClient({ kubeconfig: cluster.kubeconfigPath });
    // Our own port, with the API's answer for a user without `list secrets`.
    const forbidding: KubeClient = Object.assign(Object.create(real) as KubeClient, {
      list: (resource: Parameters<KubeClient['list']>[0], options?: Parameters<KubeClient['list']>[1]) =>
        resource === 'secrets'
          ? Promise.reject(
              new KubefreshError(
                'KUBE_FORBIDDEN',
                'secrets is forbidden: User "dev" cannot list resource "secrets" in API group "" in the namespace "secrets"',
              ),
            )
          : real.list(resource, options),
    });
    const lookup = ((_h: string, options: { all?: boolean }, cb: (...a: unknown[]) => void) =>
      options.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as never;
    const registry = new RegistryClient({
      insecureRegistries: cluster.registries().map((r) => r.name),
      lookup,
    });
    const report = await runDoctor(
      {
        kube: forbidding,
        registry,
        registryWithLogins: (logins) =>
          new RegistryClient({
            insecureRegistries: cluster.registries().map((r) => r.name),
            lookup,
            credentials: staticCredentials(
              Object.fromEntries([...logins].map(([h, l]) => [h, { kind: 'basic' as const, ...l }])),
            ),
          }),
      },
      { scope: { namespace: ns }, usePullSecrets: true },
    );
    expect(report.findings.map((f) => f.code)).toEqual(['UNVERIFIABLE']);
    expect(report.hints).toEqual([
      '--use-pull-secrets: not allowed to list secrets in namespace secrets (secrets is forbidden: User "dev" cannot list resource "secrets" in API group "" in the namespace "secrets"); registry lookups used your local docker logins only. Grant "list" on secrets (kubectl auth can-i list secrets -n secrets).',
    ]);
  });
});
