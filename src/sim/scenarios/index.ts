/**
 * The seed guide's failure scenarios as data plus a setup function each, for `kubefresh demo`,
 * doctor tests and the sim's own kubectl tests. A scenario runs in its own namespace (and its own
 * repositories) on any {@link SimCluster}, so several can share one cluster.
 *
 * Each `setup` creates the "before" state and returns {@link PreparedScenario}: the user's steps
 * (each as kubectl arguments and as the same API calls, so a test can drive real kubectl and a demo
 * can run them in-process), the outcome they lead to, and, where the seed has one, its manual fix.
 * `waitForExpected` / `mismatches` check an outcome against the cluster's store.
 *
 * 1 stale-latest: `:latest` + IfNotPresent, v2 pushed under the same tag → restart keeps v1.
 * 2 mixed-digests: nodes caching different digests of one tag → one Deployment, two digests.
 * 3 imported-one-node: image imported on one node → ErrImagePull / ErrImageNeverPull elsewhere.
 * 4 localhost-registry: `localhost:PORT` registry of one node → connection refused on the others.
 * 5 pull-failures: missing tag, 401 without pull secret, unresolvable registry → ImagePullBackOff.
 * 6 crash-and-config: crashing v2 → CrashLoopBackOff + previous logs; missing key → CreateContainerConfigError.
 * 7 undo-history: three revisions, history, undo --to-revision.
 */
import { crashAndConfig } from './crash-and-config.js';
import { importedOneNode } from './imported-one-node.js';
import { localhostRegistry } from './localhost-registry.js';
import { mixedDigests } from './mixed-digests.js';
import { pullFailures } from './pull-failures.js';
import { staleLatest } from './stale-latest.js';
import type { Scenario } from './types.js';
import { undoHistory } from './undo-history.js';

/** Every scenario, in the seed's order. */
export const SCENARIOS: readonly Scenario[] = [
  staleLatest,
  mixedDigests,
  importedOneNode,
  localhostRegistry,
  pullFailures,
  crashAndConfig,
  undoHistory,
];

/** A scenario by id (`1`) or slug (`stale-latest`); undefined when unknown. */
export function findScenario(key: string | number): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === Number(key) || s.slug === key);
}

export { actions, type DeploymentInput, deploymentObject } from './actions.js';
export { mismatches, waitForExpected } from './expected.js';
export { appImage, crashingImage } from './images.js';
export { PRIVATE_REGISTRY_NAME } from './pull-failures.js';
export type { ExpectedDeployment, PreparedScenario, Scenario, ScenarioStep } from './types.js';
export { podsOf, rolledOut, waitForRollout, waitUntil } from './wait.js';
export {
  crashAndConfig,
  importedOneNode,
  localhostRegistry,
  mixedDigests,
  pullFailures,
  staleLatest,
  undoHistory,
};
