/**
 * The simulated cluster's Kubernetes API server: plain `node:http`, JSON only, over the shared
 * {@link ObjectStore}. Real clients (kubectl 1.27–1.33, `@kubernetes/client-node`) cannot tell it
 * from a small K3s for the resources it serves: core/v1 namespaces, nodes, pods (+status, +log),
 * events, configmaps, secrets, serviceaccounts; apps/v1 deployments, replicasets and statefulsets
 * (+status, +scale as autoscaling/v1 Scale), daemonsets (+status) and controllerrevisions;
 * events.k8s.io/v1 events (converted from the core ones).
 *
 * What it does as the real server does:
 * - Discovery the legacy way (`/api`, `/apis`, `/api/v1`, `/apis/apps/v1`, …); aggregated
 *   discovery requests get plain JSON, so clients fall back. `/openapi/v3` declares the
 *   `fieldValidation` parameter, so kubectl leaves validation to the server.
 * - Defaulting on every write (stored, templates included): `imagePullPolicy` (`Always` iff the
 *   effective tag is `latest`), termination message path/policy, restart and DNS policy,
 *   scheduler name, `securityContext: {}`, Deployment strategy 25%/25%, revisionHistoryLimit 10,
 *   progressDeadlineSeconds 600, replicas 1; new pods also get `serviceAccountName: default`,
 *   the not-ready/unreachable tolerations, `status.phase: Pending` and a QoS class.
 * - Validation with the real `Invalid` messages and `details.causes`.
 * - `metadata.generation` bumps when `.spec` changes; `status` writes never bump it and the main
 *   resource never changes `.status` of pods, deployments, replicasets, nodes, namespaces.
 * - Errors are `Status` objects with the real reason, code and message.
 * - `kubectl get` receives server-side Tables with the usual columns.
 *
 * Deletion contract (the kubelets and the garbage collector rely on it):
 * - A pod bound to a node (`spec.nodeName`) that has not finished is deleted gracefully: the
 *   server sets `metadata.deletionTimestamp` (now + grace) and `deletionGracePeriodSeconds` (the
 *   request's `gracePeriodSeconds`, else `spec.terminationGracePeriodSeconds`, else 30) and keeps
 *   the object. **That node's kubelet stops the containers and then removes the pod from the
 *   store** (`store.delete('pods', ns, name)`). `gracePeriodSeconds=0`, an unbound pod, or a pod
 *   in phase Succeeded/Failed is removed at once.
 * - `propagationPolicy`: `Background` (the default) removes the object at once and leaves its
 *   dependents to the garbage collector (objects whose ownerReferences name a uid that no longer
 *   exists). `Foreground` adds the `foregroundDeletion` finalizer and a deletionTimestamp and keeps
 *   the object: the garbage collector deletes the dependents, then removes the finalizer. An object
 *   with a deletionTimestamp whose last finalizer is removed *through this server* is deleted on
 *   that write; a component that removes it in the store directly must also delete the object.
 *   `Orphan` strips the owner's ownerReference from every dependent, then deletes the owner.
 *
 * Faults (`setFaults`, or `PUT /_sim/faults` with the same JSON; `DELETE` clears;
 * `POST /_sim/faults/drop-watches` ends open watches): 500 rate, 409 rate on writes, latency,
 * watch drops, forced 410 Gone on resumed watches.
 */

export { defaultPullPolicy } from './defaults.js';
export { DEFAULT_VERSION, type VersionInfo } from './discovery.js';
export type { Faults } from './faults.js';
export { type KubeconfigOptions, kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';
export type { LogNotFound, LogOptions, LogSource } from './logs.js';
export { RESOURCES, type ResourceInfo } from './resources.js';
export {
  type LabelSelector,
  matchesSpecSelector,
  parseLabelSelector,
  type SpecSelector,
} from './selectors.js';
export { type ApiServer, type ApiServerOptions, startApiServer } from './server.js';
export { ApiError, type StatusCause, type StatusObject } from './status.js';
export { humanDuration, summarizePod } from './table/index.js';
