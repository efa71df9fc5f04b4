import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../../../src/sim/cluster/index.js';
import { staleLatest, undoHistory, waitForExpected } from '../../../src/sim/scenarios/index.js';
import { type Kubectl, kubectlBinary, kubectlFor } from '../../support/kubectl.js';
import { digestsOf, imageIDs, runSteps } from './support.js';

/** Scenarios 1 and 7 with an older (1.27) and a newer (1.33) kubectl than the default 1.32. */
for (const version of ['1.27', '1.33']) {
  const binary = kubectlBinary(version);
  describe.skipIf(!binary)(`seed scenarios with kubectl ${version}`, () => {
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

    it.concurrent('1: rollout restart keeps the cached :latest; Always pulls v2', async () => {
      const s = await staleLatest.setup(cluster);
      await runSteps(kubectl, s.steps);
      await kubectl.ok(['rollout', 'status', 'deployment/web', '-n', s.namespace, '--timeout=30s']);
      await waitForExpected(cluster, s.namespace, s.expected);
      expect(digestsOf(await imageIDs(kubectl, s.namespace, 'web'))).toEqual([s.images.v1!.digest]);
      await runSteps(kubectl, s.fix!.steps);
      await kubectl.ok([
        'wait',
        '--for=condition=Available',
        'deployment/web',
        '-n',
        s.namespace,
        '--timeout=30s',
      ]);
      await waitForExpected(cluster, s.namespace, s.fix!.expected);
      expect(digestsOf(await imageIDs(kubectl, s.namespace, 'web'))).toEqual([s.images.v2!.digest]);
    });

    it.concurrent('7: history and undo --to-revision=1', async () => {
      const s = await undoHistory.setup(cluster);
      await runSteps(kubectl, s.steps);
      await kubectl.ok(['rollout', 'status', 'deployment/web', '-n', s.namespace, '--timeout=30s']);
      await waitForExpected(cluster, s.namespace, s.expected);
      const history = await kubectl.ok(['rollout', 'history', 'deployment/web', '-n', s.namespace]);
      expect(history).toMatch(/2\s+deploy v2/);
      expect(history).toMatch(/3\s+deploy v3/);
      expect(history).toMatch(/4\s+deploy v1/);
      expect(digestsOf(await imageIDs(kubectl, s.namespace, 'web'))).toEqual([s.images.v1!.digest]);
    });
  });
}
