/**
 * Ports: the small interfaces pipelines need from the outside world (a cluster, a registry, a
 * builder, a clock, an event sink). Adapters implement them over real I/O; the simulated cluster
 * implements the same ports over HTTP servers, so the code under test is the code users run.
 */
export type { Clock } from './clock.js';
export type { EventSink, PipelineEvent, PodCounts, SlowestPod, StepName } from './events.js';
export type { BuilderName, BuildRequest, ExportedArchive, ImageBuilder } from './image-builder.js';
export type {
  KubeClient,
  KubeList,
  KubeObject,
  KubeResource,
  ListOptions,
  LogOptions,
  PatchType,
  WatchEvent,
  WatchOptions,
} from './kube.js';
export type { FetchedManifest, Registry, ResolvedDescriptor } from './registry.js';
