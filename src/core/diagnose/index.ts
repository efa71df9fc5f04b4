/**
 * Diagnosis: why pods do not run what was deployed, from one read of the cluster and the registry.
 *
 * The input is plain data (`ClusterSnapshot`): workloads with their ReplicaSets and pods, nodes
 * (platform and `status.images`), events, and what the registry serves for each spec image. The
 * output is `Finding[]` with stable codes (`codes.ts`, documented in docs/doctor-codes.md):
 *
 * - Freshness per container: `OK_PINNED`, `OK_CURRENT`, `STALE_TAG_MOVED`, `MIXED_DIGESTS`,
 *   `NOT_IN_REGISTRY`, `LOCAL_IMPORT`, `UNVERIFIABLE` (never "OK" without the registry), and the
 *   risks `STALE_NODE_CACHE` and `POLICY_RISK`. Running digests are matched index-aware
 *   (`core/digest-match`): a pod on the index's platform child or its config digest is current.
 * - Triage of pods that do not run: pull failures by cause (`PULL_*`, classified by substrings of
 *   the kubelet's text, then by kubefresh's own registry probe), `CONFIG_MISSING`, `CRASH_LOOP`,
 *   `OOM_KILLED`, `UNSCHEDULABLE`; and the rollout (`ROLLOUT_STUCK`, `ROLLOUT_IN_PROGRESS`).
 *
 * Classification (`classify.ts`) and remedies (`recommend.ts`) are two tables kept apart, as
 * skaffold's validator and recommender are; remedies carry filled-in commands.
 */
export { classifyPullError, type MissingConfig, parseMissingConfig, pullErrorCause } from './classify.js';
export { CODE_INFO, type CodeInfo, DOCTOR_CODES, type DoctorCode, type Verdict } from './codes.js';
export { diagnose, imagesToResolve, workloadSubjects } from './diagnose.js';
export { doctorCodesMarkdown } from './docs.js';
export { NODE_STATUS_MAX_IMAGES, type NodeTagRow, nodeImages, type TagView } from './nodes.js';
export { localhostMirrorSnippet, type RemedyContext, recommend } from './recommend.js';
export { type RolloutState, rolloutState } from './rollout.js';
export { selectorOf } from './selector.js';
export { groupByWorkload, summaryLine, verdictOf, type WorkloadReport, worstSeverity } from './summary.js';
export { shortDigest } from './text.js';
export type {
  ClusterSnapshot,
  ContainerSpec,
  ContainerStatus,
  EventObject,
  NodeObject,
  PodObject,
  RegistryErrorClass,
  RegistryFact,
  WorkloadObject,
} from './types.js';
