/**
 * `deploy` as a verified transaction, and the wait/verify/rollback machinery `restart`,
 * `rollback` and `history` build on.
 *
 * A redeploy fails silently in many ways (semantics §5): `set image` with an unchanged string sends
 * an empty patch, `rollout status` never looks at digests, `rollout undo` re-resolves a moving tag.
 * `deploy` pushes, reads the digest back from the registry, sets `repo:tag@sha256:…`, waits with a
 * watch, and only says "verified" once every pod of the new revision is Ready and reports that
 * digest (index-aware). Otherwise it rolls back to the previous revision (by its template, which
 * names a digest when kubefresh deployed it), verifies that, and attaches the doctor's findings.
 *
 * Building blocks, each usable alone:
 * - `waitForRollout(deps, target, options)`: watch-based wait, kubectl's status rules plus fail-fast
 *   on the doctor's pod failure codes after a grace period; resumes dropped watches; honours an
 *   AbortSignal (outcome `interrupted`) and a timeout. Changes nothing.
 * - `verifyRevision(kube, target, container, expected)`: a fresh read proving each pod of the current
 *   revision is Ready on the expected digest; `registryImageOf(registry, ref)` gives `expected`.
 * - `rollbackTo(deps, target, {toRevision} | {template})`: kubectl's undo (JSON patch of the template
 *   and change cause), retried on 409; on an OrderedReady StatefulSet it then deletes the failed
 *   revision's pods that are not Ready (Kubernetes' "forced rollback"), listed in `deletedPods`.
 * - `setImage(kube, clock, target, {container, image, changeCause})`: a resourceVersion-pinned
 *   strategic merge patch that records the previous template.
 *
 * The library is silent: progress goes to an `EventSink` as typed events (`step:start`,
 * `step:progress` with pod counts, `step:done`, `step:failed{code}`).
 */

export { isRetryable, WRITE_ATTEMPTS, withRetries } from '../retry/index.js';
export {
  type DeployDeps,
  type DeployOptions,
  type DeployOutcome,
  type DeployResult,
  deploy,
  type ImageSource,
} from './deploy.js';
export { type PushableImage, type PushSummary, pushImage } from './push.js';
export { registryImageOf } from './registry-image.js';
export { type RollbackRequest, type RollbackResult, rollbackTo } from './rollback.js';
export { type PreviousState, pickContainer, type SetImageResult, setImage } from './set-image.js';
export { SILENT, Steps, SYSTEM_CLOCK } from './steps.js';
export { parseWorkloadTarget, targetText, type WorkloadKind, type WorkloadTarget } from './target.js';
export { desiredPods, type RevisionVerification, verifyRevision } from './verify.js';
export {
  DEFAULT_GRACE_MS,
  type WaitDeps,
  type WaitOptions,
  type WaitOutcome,
  type WaitResult,
  waitForRollout,
  waitOrVerdict,
} from './wait.js';
