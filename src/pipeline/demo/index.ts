/**
 * `kubefresh demo`: the seed guide's first four failure scenarios, played on a cluster and fixed.
 *
 * Each scene walks into a trap the way a user does (push under the same tag, restart, scale out,
 * import on one node, pull from `localhost`), shows it as kubectl does, asks `doctor`, applies the
 * fix (always a deploy by digest, after making the image reachable where it was not), and proves
 * it: every pod Ready on the deployed digest, and doctor saying OK. The cluster comes in as a
 * {@link DemoCluster} (the CLI binds a simulated one), so this layer starts nothing itself; what
 * happens is reported as {@link DemoEvent}s for the CLI to render.
 */
export { type DemoFix, fixCommand, fixesFor } from './fixes.js';
export { type DemoDeps, type DemoOptions, type DemoResult, runDemo } from './run.js';
export type { DemoCluster, DemoEvent, DemoScenario, DemoStep, PreparedDemoScenario } from './types.js';
