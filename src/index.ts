/**
 * kubefresh as a library. Every public name is exported here by name; the CLI is built on exactly
 * these functions. The simulated cluster and registries for tests live under `kubefresh/testing`.
 */

export { CONFIG_FILE_NAMES, type InputItem, loadLintConfig, readInputs } from './adapters/fs/index.js';
export {
  HttpKubeClient,
  type KubeClientOptions,
  loadKubeConfig,
  translateKubeError,
} from './adapters/kube/index.js';
export {
  ANONYMOUS,
  type Credential,
  type CredentialSource,
  type DescribeOptions,
  describeImage,
  digestOf,
  dockerConfigCredentials,
  dockerConfigDir,
  type ImageDescription,
  type PlatformEntry,
  type RateLimitInfo,
  RegistryClient,
  type RegistryClientOptions,
  staticCredentials,
} from './adapters/registry/index.js';
export {
  type ClusterSnapshot,
  CODE_INFO,
  type CodeInfo,
  DOCTOR_CODES,
  type DoctorCode,
  diagnose,
  groupByWorkload,
  nodeImages,
  type RegistryFact,
  recommend,
  summaryLine,
  type WorkloadReport,
} from './core/diagnose/index.js';
export {
  type MatchKind,
  type MatchResult,
  matchRunningDigest,
  parseImageId,
} from './core/digest-match/index.js';
export {
  type Finding,
  type FindingSubject,
  meetsThreshold,
  type Remedy,
  SEVERITY_ORDER,
  type Severity,
  type SourceLocation,
} from './core/findings/index.js';
export {
  DEFAULT_REGISTRY,
  DEFAULT_TAG,
  DOCKER_HUB_API_HOST,
  DOCKER_HUB_CREDENTIAL_KEY,
  digestProblem,
  ImageRef,
  type ImageRefErrorCode,
  isLoopbackRegistry,
  parseImageRef,
  registryHost,
  tryParseImageRef,
} from './core/image-ref/index.js';
export {
  classifyTag,
  DEFAULT_MOVING_TAGS,
  DEFAULT_SEVERITIES,
  type FailOn,
  type LintConfig,
  Linter,
  type LintStats,
  lintManifest,
  parseLintConfig,
  type ResolvedLintConfig,
  RULE_IDS,
  RULES,
  type RuleId,
  type RuleMeta,
  resolveLintConfig,
  ruleMeta,
} from './core/lint/index.js';
export {
  createLock,
  formatLock,
  type ImageLock,
  type LockEntry,
  lockKey,
  lookupLock,
  parseLock,
} from './core/lock/index.js';
export {
  type ContainerImage,
  extractWorkloads,
  forEachDocument,
  IGNORE_ANNOTATION,
  type ManifestProblem,
  readDocuments,
  type ScanResult,
  scanManifest,
  type Workload,
} from './core/manifest/index.js';
export {
  type Descriptor,
  formatPlatform,
  isDigest,
  isIndexMediaType,
  isManifestMediaType,
  MANIFEST_ACCEPT,
  MEDIA_TYPES,
  normalizePlatform,
  type OciManifest,
  type Platform,
  parseOciManifest,
  parsePlatform,
  parseWwwAuthenticate,
  pickPlatform,
  platformEquals,
} from './core/oci/index.js';
export {
  type DefaultPullPolicy,
  type DefaultPullPolicyExplanation,
  type DefaultPullPolicyReason,
  defaultPullPolicy,
  effectivePullPolicy,
  explainDefaultPullPolicy,
  isPullPolicy,
  kubeletImageName,
  kubeletInvalidImageMessage,
  type PullPolicy,
} from './core/pull-policy/index.js';
export { type EditResult, rewriteScalars, type ScalarEdit } from './core/rewrite/index.js';
export {
  checkRollout,
  currentRevision,
  planRollback,
  podsOfRevision,
  type RolloutStatus,
  rolloutStatus,
  verifyPods,
} from './core/rollout/index.js';
export { parseTagStrategy, type TagStrategy, tagFor } from './core/tag-strategy/index.js';
export {
  type ErrorCode,
  type ErrorPhase,
  EXIT_CODES,
  type ExitCode,
  exitCodeForError,
  isKubefreshError,
  KubefreshError,
  redact,
  redactUrl,
} from './errors/index.js';
export { type DemoCluster, type DemoEvent, type DemoResult, runDemo } from './pipeline/demo/index.js';
export {
  type DeployDeps,
  type DeployOptions,
  type DeployResult,
  deploy,
  parseWorkloadTarget,
  registryImageOf,
  rollbackTo,
  setImage,
  verifyRevision,
  type WaitResult,
  type WorkloadTarget,
  waitForRollout,
} from './pipeline/deploy/index.js';
export {
  type DoctorOptions,
  type DoctorReport,
  type DoctorScope,
  parseTarget,
  runDoctor,
} from './pipeline/doctor/index.js';
export {
  buildHistory,
  type DeploymentHistory,
  type Revision,
  readHistory,
  recordRevisionDigests,
} from './pipeline/history/index.js';
export {
  type CheckResult,
  checkPinned,
  type ImageOccurrence,
  type PinChange,
  type PinFailure,
  type PinFailureClass,
  type PinInput,
  type PinnedFile,
  type PinOptions,
  type PinResult,
  pinManifests,
} from './pipeline/pin/index.js';
export {
  type RestartOptions,
  type RestartResult,
  type RestartWarning,
  restartDeployment,
} from './pipeline/restart/index.js';
export { type RollbackOptions, type RollbackOutcome, rollbackDeployment } from './pipeline/rollback/index.js';
export type {
  Clock,
  EventSink,
  FetchedManifest,
  ImageBuilder,
  KubeClient,
  KubeList,
  KubeObject,
  KubeResource,
  PatchType,
  PipelineEvent,
  Registry,
  ResolvedDescriptor,
  WatchEvent,
} from './ports/index.js';
export { VERSION } from './version.js';
