/**
 * Test helpers for kubefresh users and for kubefresh's own tests (`kubefresh/testing`): an
 * in-process OCI registry with auth and fault injection, and an image builder that makes real OCI
 * images whose config labels tell the simulated kubelet how a container behaves. The same code
 * backs `kubefresh sim` and `kubefresh demo`.
 */

export {
  type ApiServer,
  type ApiServerOptions,
  type Faults,
  kubeconfigYaml,
  type LogOptions,
  type LogSource,
  startApiServer,
  writeKubeconfig,
} from '../sim/apiserver/index.js';
export { ScaledClock } from '../sim/clock.js';
export {
  CLUSTER_REGISTRY_NAME,
  type SimCluster,
  type SimClusterOptions,
  type SimNode,
  type SimRegistry,
  startSimCluster,
} from '../sim/cluster/index.js';
export {
  type RunningControllers,
  type StartControllersOptions,
  startControllers,
} from '../sim/controllers/index.js';
export * from '../sim/images/behaviour-labels.js';
export {
  type ArchiveOptions,
  type BuiltImage,
  type BuiltIndex,
  buildImage,
  buildIndex,
  buildMultiPlatformImage,
  dockerArchive,
  formatPlatform,
  type ImageSpec,
  ociArchive,
  type Platform,
  type PushOptions,
  type PushResult,
  parsePlatform,
  pushImage,
  writeOciLayout,
} from '../sim/images/index.js';
export { type Kubelet, type Kubelets, type KubeletsOptions, startKubelets } from '../sim/kubelet/index.js';
export {
  type FaultRule,
  InProcessRegistry,
  type RegistryAuthOptions,
  type RegistryOptions,
  type RequestRecord,
  type RunningRegistry,
  startRegistry,
} from '../sim/registry/index.js';
export {
  appImage,
  crashingImage,
  type ExpectedDeployment,
  findScenario,
  mismatches,
  type PreparedScenario,
  SCENARIOS,
  type Scenario,
  type ScenarioStep,
  waitForExpected,
} from '../sim/scenarios/index.js';
export { ObjectStore } from '../sim/store/index.js';
