/**
 * `doctor` as a pipeline: read the cluster, ask the registry, diagnose.
 *
 * Gathering costs a fixed number of API requests whatever the cluster size (one list per
 * resource, no paging), registry lookups are one HEAD per distinct spec image (more only when a
 * pod reports a platform child or a config digest), and crashing containers get their previous
 * log read. With `usePullSecrets` the pods' imagePullSecrets and their service accounts' secrets
 * are used for the lookups, as the kubelet would; if RBAC forbids reading secrets that becomes a
 * hint, not a failure. The result is data (`DoctorReport`); rendering is the CLI's job.
 */
export { type DoctorDeps, type DoctorOptions, type DoctorReport, runDoctor } from './doctor.js';
export { type ClusterObjects, gatherCluster } from './gather.js';
export { loginsOf, type PullSecretLogins, pullSecretLogins, type RegistryLogin } from './pull-secrets.js';
export { factFromError, registryFacts } from './registry-facts.js';
export { type DoctorScope, parseTarget, type TargetKind } from './scope.js';
