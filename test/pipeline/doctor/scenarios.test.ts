import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import {
  crashAndConfig,
  importedOneNode,
  localhostRegistry,
  mixedDigests,
  pullFailures,
  staleLatest,
  undoHistory,
  waitForExpected,
  waitForRollout,
} from '../../../src/sim/scenarios/index.js';
import { type Kubectl, kubectlBinary, kubectlFor } from '../../support/kubectl.js';
import { argv, codesByWorkload, doctorJson } from './support.js';

const binary = kubectlBinary();

describe.skipIf(!binary)('kubefresh doctor on the seed scenarios', () => {
  let cluster: SimCluster;
  let kubectl: Kubectl;

  beforeAll(async () => {
    cluster = await startSimCluster({ speed: 100 });
    kubectl = await kubectlFor(cluster.apiUrl, binary!);
  });
  afterAll(async () => {
    await kubectl?.dispose();
    await cluster?.stop();
  });

  it('1: a pushed :latest with IfNotPresent → STALE_TAG_MOVED; the pin remedy makes it OK_PINNED', async () => {
    const s = await staleLatest.setup(cluster);
    const ns = s.namespace;
    for (const step of s.steps) await step.run();
    await waitForExpected(cluster, ns, s.expected);
    const { code, report } = await doctorJson(cluster, ['-n', ns]);
    expect(code).toBe(1);
    expect(codesByWorkload(report)).toEqual({ web: ['STALE_TAG_MOVED', 'POLICY_RISK'] });
    const stale = report.findings.find((f) => f.code === 'STALE_TAG_MOVED')!;
    expect(stale.subject).toEqual({ kind: 'Deployment', namespace: ns, name: 'web', container: 'app' });
    expect(stale.remedy.commands).toEqual([
      `kubectl set image -n ${ns} deployment/web app=${s.images.v1!.reference}@${s.images.v2!.digest}`,
    ]);
    await kubectl.ok(argv(stale.remedy.commands[0]!).slice(1));
    await waitForRollout(cluster.store, ns, 'web');
    const after = await doctorJson(cluster, ['-n', ns]);
    expect(codesByWorkload(after.report)).toEqual({ web: ['OK_PINNED'] });
    expect(after.code).toBe(0);
  });

  it('2: nodes caching different digests → MIXED_DIGESTS; pinning makes every pod run one digest', async () => {
    const s = await mixedDigests.setup(cluster);
    const ns = s.namespace;
    for (const step of s.steps) await step.run();
    await waitForExpected(cluster, ns, s.expected);
    const { code, report } = await doctorJson(cluster, ['-n', ns]);
    expect(code).toBe(1);
    expect(codesByWorkload(report)).toEqual({ web: ['MIXED_DIGESTS', 'POLICY_RISK'] });
    const mixed = report.findings[0]!;
    expect(mixed.message).toMatch(
      /^3 pods run 2 different digests of registry\.sim:\d+\/scenario-2\/app:stable: /,
    );
    expect(mixed.evidence.registry).toMatchObject({ digest: s.images.v2!.digest });
    const pin = `kubectl set image -n ${ns} deployment/web app=${s.images.v1!.reference}@${s.images.v2!.digest}`;
    expect(mixed.remedy.commands).toEqual([pin]);
    await kubectl.ok(argv(pin).slice(1));
    await waitForRollout(cluster.store, ns, 'web');
    expect(codesByWorkload((await doctorJson(cluster, ['-n', ns])).report)).toEqual({ web: ['OK_PINNED'] });
  });

  it('3: an image imported on one node → LOCAL_IMPORT on the server, pull failures and Never elsewhere', async () => {
    const s = await importedOneNode.setup(cluster);
    const ns = s.namespace;
    for (const step of s.steps) await step.run();
    await waitForExpected(cluster, ns, s.expected);
    // docker.io is reached on loopback only (refused), never on the internet.
    const { code, report } = await doctorJson(cluster, [
      '-n',
      ns,
      '--resolve',
      'registry-1.docker.io=127.0.0.2',
      '--timeout',
      '2s',
    ]);
    expect(code).toBe(1);
    const codes = codesByWorkload(report);
    expect(codes.web).toEqual(['PULL_UNREACHABLE', 'LOCAL_IMPORT', 'POLICY_RISK']);
    expect(codes['web-never']).toEqual(['PULL_NEVER_NOT_PRESENT', 'LOCAL_IMPORT', 'POLICY_RISK']);
    const never = report.findings.find((f) => f.code === 'PULL_NEVER_NOT_PRESENT')!;
    expect(never.message).toMatch(
      /^2 pods on k3s-agent-\d, k3s-agent-\d cannot start app: scenario-3-app:dev is not on the node and imagePullPolicy is Never$/,
    );
    const local = report.findings.find((f) => f.code === 'LOCAL_IMPORT')!;
    expect(local.subject).toMatchObject({ name: 'web', pod: expect.any(String), node: 'k3s-server' });
  });

  it('4: a localhost registry of one node → PULL_UNREACHABLE on the others with the registries.yaml mirror', async () => {
    const s = await localhostRegistry.setup(cluster);
    const ns = s.namespace;
    for (const step of s.steps) await step.run();
    await waitForExpected(cluster, ns, s.expected);
    const { report } = await doctorJson(cluster, ['-n', ns]);
    expect(codesByWorkload(report).web).toEqual(['PULL_UNREACHABLE', 'OK_CURRENT', 'POLICY_RISK']);
    const pull = report.findings.find((f) => f.code === 'PULL_UNREACHABLE')!;
    const port = cluster.registry!.port;
    expect(pull.message).toMatch(
      new RegExp(
        `^2 pods on k3s-agent-\\d, k3s-agent-\\d cannot pull localhost:${port}/scenario-4/app:v1: the node cannot reach localhost:${port}, which on each node means that node itself \\(`,
      ),
    );
    expect(pull.remedy.commands[0]).toContain(
      `mirrors:\n  "localhost:${port}":\n    endpoint:\n      - "http://`,
    );
  });

  it('5: missing tag, missing credentials, unresolvable registry → PULL_NOT_FOUND with tags, PULL_AUTH, PULL_UNREACHABLE', async () => {
    const s = await pullFailures.setup(cluster);
    const ns = s.namespace;
    for (const step of s.steps) await step.run();
    await waitForExpected(cluster, ns, s.expected);
    const { code, report } = await doctorJson(cluster, [
      '-n',
      ns,
      '--resolve',
      'registry.unreachable.example=127.0.0.2',
      '--timeout',
      '2s',
    ]);
    expect(code).toBe(1);
    const codes = codesByWorkload(report);
    expect(codes['missing-tag']).toEqual(['PULL_NOT_FOUND', 'POLICY_RISK']);
    expect(codes['no-credentials']).toEqual(['PULL_AUTH', 'POLICY_RISK']);
    expect(codes.unreachable).toEqual(['PULL_UNREACHABLE', 'POLICY_RISK']);
    const notFound = report.findings.find((f) => f.code === 'PULL_NOT_FOUND')!;
    expect(notFound.message).toMatch(
      /cannot pull registry\.sim:\d+\/scenario-5\/app:v9: tag v9 is not in registry\.sim:\d+\/scenario-5\/app \(registry: 404 manifest unknown\); tags there: v1$/,
    );
    const auth = report.findings.find((f) => f.code === 'PULL_AUTH')!;
    expect(auth.remedy.commands[0]).toMatch(
      /^kubectl create secret docker-registry regcred -n scenario-5 --docker-server=private\.sim:\d+ /,
    );
  });

  it('6: a crashing v2 → CRASH_LOOP with the previous log and rollout undo; a missing key → CONFIG_MISSING', async () => {
    const s = await crashAndConfig.setup(cluster);
    const ns = s.namespace;
    for (const step of s.steps) await step.run();
    await waitForExpected(cluster, ns, s.expected);
    const { report } = await doctorJson(cluster, ['-n', ns]);
    const codes = codesByWorkload(report);
    expect(codes.web).toContain('CRASH_LOOP');
    expect(codes.web).not.toContain('ROLLOUT_IN_PROGRESS');
    expect(codes.configured).toContain('CONFIG_MISSING');
    const crash = report.findings.find((f) => f.code === 'CRASH_LOOP')!;
    expect(crash.message).toMatch(
      /(is|are) crash-looping in app: exit code 1 \(Error\), \d+ restarts?; last log line: "panic: config: DATABASE_URL is not set"$/,
    );
    expect(crash.remedy.commands).toContain(`kubectl rollout undo -n ${ns} deployment/web`);
    const config = report.findings.find((f) => f.code === 'CONFIG_MISSING')!;
    expect(config.message).toMatch(
      /cannot start app: key DATABASE_URL is missing from ConfigMap scenario-6\/app-config$/,
    );
    expect(config.remedy.commands).toEqual([
      `kubectl patch configmap app-config -n ${ns} --type merge -p '{"data":{"DATABASE_URL":"<value>"}}'`,
    ]);
    await kubectl.ok(['rollout', 'undo', '-n', ns, 'deployment/web']);
    await waitForRollout(cluster.store, ns, 'web');
    expect(codesByWorkload((await doctorJson(cluster, ['-n', ns, 'deployment/web'])).report).web).toEqual([
      'OK_CURRENT',
      'POLICY_RISK',
    ]);
  });

  it('7: after undo across three revisions the running digest is the undone revision, and current', async () => {
    const s = await undoHistory.setup(cluster);
    const ns = s.namespace;
    for (const step of s.steps) await step.run();
    await waitForExpected(cluster, ns, s.expected);
    const { report } = await doctorJson(cluster, ['-n', ns]);
    for (const w of report.workloads)
      expect(w.codes.filter((c) => !c.startsWith('OK_') && c !== 'POLICY_RISK')).toEqual([]);
  });
});
