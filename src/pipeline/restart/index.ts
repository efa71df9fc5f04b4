/**
 * `kubefresh restart`: `kubectl rollout restart` with the digests in view.
 *
 * A restart sets the pod template annotation `kubectl.kubernetes.io/restartedAt` (RFC 3339), which
 * makes a new ReplicaSet and new pods with the same image text. Whether those pods run new code
 * depends on the pull policy: with `Always` the kubelet resolves the tag again at each start; with
 * `IfNotPresent` (the default for any tag but `latest`) each node reuses the image it has cached
 * under that tag, so a tag that moved in the registry is *not* picked up, and nodes that cached it
 * at different times run different code (seed §3). A spec pinned by digest always runs that digest.
 *
 * The pipeline records every pod's digest before, restarts, waits (the deploy wait: watches and
 * kubectl's status rules plus fail-fast pod failures), and compares after/before/registry.
 */
export { distinctDigests, lookup, type PodDigest, podDigests, type RegistryLookup, runs } from './digests.js';
export {
  type ContainerRestart,
  RESTARTED_AT_ANNOTATION,
  type RestartDeps,
  type RestartOptions,
  type RestartResult,
  type RestartWarning,
  restartDeployment,
  rfc3339,
} from './restart.js';
