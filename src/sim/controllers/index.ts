/**
 * The simulated cluster's control plane: what kube-controller-manager and kube-scheduler do, over
 * the sim's object store.
 *
 * - A **Deployment** owns one **ReplicaSet** per pod template. The RS is named
 *   `<deployment>-<pod-template-hash>`; the hash (FNV-32a of the template, safe-encoded) is also a
 *   label on the RS selector, its template and its pods. Each RS carries
 *   `deployment.kubernetes.io/revision`; going back to an old template (`kubectl rollout undo`
 *   patches the template client-side) reuses that template's RS, raises its revision and records
 *   the old number in `revision-history`.
 * - RollingUpdate keeps at most `replicas + maxSurge` pods and at least `replicas - maxUnavailable`
 *   available (percentages: surge rounds up, unavailable rounds down; both 0 → unavailable 1).
 *   Recreate scales every old RS to 0 and waits for their pods to be gone before scaling up.
 * - Status conditions: `Available` (MinimumReplicasAvailable / MinimumReplicasUnavailable) and
 *   `Progressing` (NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated,
 *   NewReplicaSetAvailable, ProgressDeadlineExceeded, DeploymentPaused, DeploymentResumed), with
 *   the real messages, so `kubectl rollout status` behaves as against a real cluster.
 * - Ownership is by `ownerReferences` with `controller: true`, matched by uid. Like the real
 *   controllers, a Deployment or ReplicaSet adopts matching objects that have no controller and
 *   releases owned ones whose labels stop matching its selector (`kubectl label pod x app-`).
 * - The **scheduler** binds pending pods (`spec.nodeName`), spreading replicas over nodes; the
 *   **garbage collector** deletes what lost its owners (background, foreground, orphan).
 * - Deleting a pod bound to a node is graceful: `deletePod` sets `deletionTimestamp` and the node's
 *   kubelet removes the pod once its containers stopped. The API server uses the same helpers.
 */

export { DAEMON_TOLERATIONS, DaemonSetController, shouldRunOn } from './daemonset/controller.js';
export {
  type DeleteObjectOptions,
  deleteObject,
  FOREGROUND_FINALIZER,
  ORPHAN_FINALIZER,
  type PropagationPolicy,
  removeFinalizer,
} from './delete-object.js';
export { DeploymentController, SCALING_MESSAGES } from './deployment/controller.js';
export { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './deployment/fenceposts.js';
export { GarbageCollector } from './gc/garbage-collector.js';
export { computePodTemplateHash, POD_TEMPLATE_HASH_LABEL, templatesEqualIgnoringHash } from './hash.js';
export { DEFAULT_TERMINATION_GRACE_SECONDS, type DeletePodOptions, deletePod } from './pod-deletion.js';
export { isPodActive, isPodAvailable, isPodReady } from './pods.js';
export { ReplicaSetController } from './replicaset/controller.js';
export { podFromTemplate } from './replicaset/pod-template.js';
export { CONTROLLER_REVISION_HASH_LABEL, type ControllerRevision } from './revisions.js';
export { DEFAULT_SCHEDULER, Scheduler } from './scheduler/scheduler.js';
export {
  type ControllerSelection,
  type RunningControllers,
  type StartControllersOptions,
  startControllers,
} from './start.js';
export { POD_INDEX_LABEL, POD_NAME_LABEL, StatefulSetController } from './statefulset/controller.js';
