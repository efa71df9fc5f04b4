import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import { staleLatest, waitForExpected, waitForRollout } from '../../../src/sim/scenarios/index.js';
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
});
