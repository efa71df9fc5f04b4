/**
 * What long-running pipelines (deploy, restart, rollback) report while they work. The library
 * prints nothing: it emits these to an {@link EventSink}, and the CLI renders them (spinners on a
 * terminal, plain lines in CI, one JSON object per line with `-o jsonl`).
 */

/** The steps of a deploy, in order; restart and rollback reuse `wait`, `verify` and `rollback`. */
export type StepName = 'build' | 'tag' | 'push' | 'resolve' | 'set-image' | 'wait' | 'verify' | 'rollback';

/** Pod counts of the revision being rolled out: `3/5 updated, 2 ready`. */
export interface PodCounts {
  readonly desired: number;
  readonly updated: number;
  readonly ready: number;
}

/** The pod that has kept the rollout waiting longest, for "slowest pod" on a terminal. */
export interface SlowestPod {
  readonly pod: string;
  readonly node?: string;
  /** What it is doing: `ContainerCreating`, `CrashLoopBackOff`, `not ready`… */
  readonly state: string;
  /** How long it has existed, in ms. */
  readonly ageMs: number;
}

export type PipelineEvent =
  | { readonly type: 'step:start'; readonly step: StepName; readonly message: string }
  | {
      readonly type: 'step:progress';
      readonly step: StepName;
      readonly message: string;
      readonly pods?: PodCounts;
      readonly slowest?: SlowestPod;
    }
  | {
      readonly type: 'step:done';
      readonly step: StepName;
      readonly message: string;
      readonly durationMs: number;
    }
  | {
      readonly type: 'step:failed';
      readonly step: StepName;
      /** A doctor code (`CRASH_LOOP`, `PULL_NOT_FOUND`…) or an error code (`ROLLOUT_DEADLINE_EXCEEDED`…). */
      readonly code: string;
      readonly message: string;
      readonly durationMs: number;
    }
  | { readonly type: 'step:skipped'; readonly step: StepName; readonly message: string }
  | { readonly type: 'warning'; readonly code: string; readonly message: string };

/** Receives pipeline events; must not throw. */
export interface EventSink {
  emit(event: PipelineEvent): void;
}
