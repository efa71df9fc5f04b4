/**
 * Rollouts as data: where a Deployment, StatefulSet or DaemonSet stands, and whether waiting on it
 * can still succeed.
 *
 * - `rolloutStatus(obj)` is kubectl's `rollout status` evaluation (semantics §5) with kubectl's
 *   exact messages: a Deployment waits for its spec to be observed, then for updated, then for old
 *   replicas to go, then for updated replicas to be available; `ProgressDeadlineExceeded` is an error.
 *   StatefulSets and DaemonSets have no progress deadline: kubectl waits on them forever.
 * - `checkRollout` adds what kubectl lacks (kubectl#738): the doctor's pod failure codes (`PULL_*`,
 *   `CRASH_LOOP`, `CONFIG_MISSING`, `OOM_KILLED`, `UNSCHEDULABLE`…) end the wait once a failure has
 *   lasted a grace period on a pod of the new revision, so a crash loop fails in seconds, not minutes.
 * - `currentRevision` / `podsOfRevision` name the pods of the revision being rolled out: the
 *   ReplicaSet whose revision annotation equals the Deployment's (`pod-template-hash`), the
 *   StatefulSet's `updateRevision` (`controller-revision-hash`), the DaemonSet's template generation
 *   or its highest ControllerRevision's hash (either one, as the DaemonSet controller counts them).
 *
 * Nothing here reads a clock: callers pass `now` and carry `since` from one check to the next.
 */
export {
  checkRollout,
  describe as describeFailure,
  type RolloutCheck,
  type RolloutCheckInput,
} from './check.js';
export { FAIL_FAST_CODES, isPodReady, type PodFailure, podFailure } from './pod-failure.js';
export {
  CHANGE_CAUSE_ANNOTATION,
  type ControllerRevisionObject,
  currentRevision,
  currentRevisionHash,
  isPodOfRevision,
  ownedReplicaSets,
  podsOfRevision,
  REVISION_ANNOTATION,
  type RevisionIdentity,
  type RevisionLabel,
  revisionOf,
  TEMPLATE_GENERATION_ANNOTATION,
} from './revision.js';
export {
  type RolloutObject,
  type RolloutStatus,
  type RolloutStatusOptions,
  rolloutStatus,
} from './status.js';
export { planRollback, type RollbackPlan } from './undo.js';
export { type Verification, type VerifiedPod, type VerifyInput, verifyPods } from './verify.js';
