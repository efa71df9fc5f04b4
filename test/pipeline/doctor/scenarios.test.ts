import { join } from 'node:path';
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
import { runKubefresh } from '../../support/cli.js';
import { type Kubectl, kubectlBinary, kubectlFor } from '../../support/kubectl.js';
import { findTool } from '../../support/tools.js';
import { argv, codesByWorkload, doctorJson, registryFlags } from './support.js';

const binary = kubectlBinary();
// `kubefresh deploy` builds in the user's project directory; buildah (as root) stands in for docker.
const canBuild = findTool('buildah') !== undefined && process.getuid?.() === 0;
const PROJECT = join(process.cwd(), 'test/fixtures/deploy/hello');

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
    const pushTo = `kubefresh deploy -n ${ns} deployment/web --image '<registry every node reaches>/scenario-3-app'`;
    expect(local.remedy.commands).toEqual([pushTo]);
    expect(never.remedy.commands).toEqual([
      `kubectl patch -n ${ns} deployment/web-never -p '{"spec":{"template":{"spec":{"containers":[{"name":"app","imagePullPolicy":"IfNotPresent"}]}}}}'`,
      pushTo.replace('deployment/web ', 'deployment/web-never '),
    ]);
    if (!canBuild) return;
    // As the user would: patch the policy, then build, push to the cluster's registry and deploy.
    await kubectl.ok(argv(never.remedy.commands[0]!).slice(1));
    for (const command of [local.remedy.commands[0]!, never.remedy.commands[1]!]) {
      const args = argv(command.replace('<registry every node reaches>', cluster.registry!.name)).slice(1);
      await kubefresh(cluster, args);
    }
    expect(codesByWorkload((await doctorJson(cluster, ['-n', ns])).report)).toEqual({
      web: ['OK_PINNED'],
      'web-never': ['OK_PINNED'],
    });
  }, 60_000);

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
    // As the user would: write the snippet into every node's registries.yaml and restart its agent.
    const yaml = /<<'EOF'\n([\s\S]*?)\nEOF/.exec(pull.remedy.commands[0]!)![1]!;
    for (const node of cluster.nodeNames) cluster.node(node).applyRegistries(yaml);
    await waitForRollout(cluster.store, ns, 'web');
    const mirrored = await doctorJson(cluster, ['-n', ns]);
    expect(codesByWorkload(mirrored.report).web).toEqual(['OK_CURRENT', 'POLICY_RISK']);
    const pin = mirrored.report.findings.find((f) => f.code === 'OK_CURRENT')!.remedy.commands[0]!;
    await kubectl.ok(argv(pin).slice(1));
    await waitForRollout(cluster.store, ns, 'web');
    expect(codesByWorkload((await doctorJson(cluster, ['-n', ns])).report)).toEqual({ web: ['OK_PINNED'] });
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
    // The pull secret: the user's login filled in, then the template patch that rolls new pods out.
    for (const command of auth.remedy.commands)
      await kubectl.ok(argv(command.replace('<user>', 'ci').replace('<password>', 'ci-secret')).slice(1));
    await waitForRollout(cluster.store, ns, 'no-credentials');
    const authed = await doctorJson(cluster, ['-n', ns, 'deployment/no-credentials', '--use-pull-secrets']);
    expect(codesByWorkload(authed.report)['no-credentials']).toEqual(['OK_CURRENT', 'POLICY_RISK']);
    const pin = authed.report.findings.find((f) => f.code === 'OK_CURRENT')!.remedy.commands[0]!;
    await kubectl.ok(argv(pin).slice(1));
    await waitForRollout(cluster.store, ns, 'no-credentials');
    expect(
      codesByWorkload(
        (await doctorJson(cluster, ['-n', ns, 'deployment/no-credentials', '--use-pull-secrets'])).report,
      ),
    ).toEqual({ 'no-credentials': ['OK_PINNED'] });
    // The missing tag: build and push it from the project, deployed by digest.
    expect(notFound.remedy.commands).toEqual([
      `kubefresh deploy -n ${ns} deployment/missing-tag --image ${cluster.registry!.name}/scenario-5/app`,
    ]);
    if (canBuild) {
      await kubefresh(cluster, argv(notFound.remedy.commands[0]!).slice(1));
      expect(
        codesByWorkload((await doctorJson(cluster, ['-n', ns, 'deployment/missing-tag'])).report),
      ).toEqual({ 'missing-tag': ['OK_PINNED'] });
    }
    // The unresolvable registry: build and push to a registry every node reaches, or mirror the host.
    const gone = report.findings.find((f) => f.code === 'PULL_UNREACHABLE')!;
    expect(gone.remedy.commands[0]).toBe(
      `kubefresh deploy -n ${ns} deployment/unreachable --image '<registry every node reaches>/scenario-5/app'`,
    );
    expect(gone.remedy.commands[1]).toContain(
      'mirrors:\n  "registry.unreachable.example:5000":\n    endpoint:\n      - "https://<registry every node reaches>"',
    );
    if (canBuild) {
      const command = gone.remedy.commands[0]!.replace(
        '<registry every node reaches>',
        cluster.registry!.name,
      );
      await kubefresh(cluster, argv(command).slice(1));
      expect(
        codesByWorkload((await doctorJson(cluster, ['-n', ns, 'deployment/unreachable'])).report),
      ).toEqual({ unreachable: ['OK_PINNED'] });
    }
  }, 60_000);

  /** Runs a suggested `kubefresh …` command in the project directory; it must succeed. */
  async function kubefresh(c: SimCluster, args: readonly string[]): Promise<void> {
    const result = await runKubefresh([...args, '--kubeconfig', c.kubeconfigPath, ...registryFlags(c)], {
      cwd: PROJECT,
      env: { HOME: '/nonexistent', PATH: process.env.PATH ?? '' },
    });
    expect(result.stderr, result.stdout).toBe('');
    expect(result.code, result.stdout).toBe(0);
  }

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
    // The ConfigMap remedy, with a real value in place of the placeholder, lets the container start.
    await kubectl.ok([
      'patch',
      'configmap',
      'app-config',
      '-n',
      ns,
      '--type',
      'merge',
      '-p',
      '{"data":{"DATABASE_URL":"postgres://db:5432/app"}}',
    ]);
    await waitForRollout(cluster.store, ns, 'configured');
    const after = codesByWorkload((await doctorJson(cluster, ['-n', ns, 'deployment/configured'])).report);
    expect(after.configured!.filter((c) => !c.startsWith('OK_') && c !== 'POLICY_RISK')).toEqual([]);
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
