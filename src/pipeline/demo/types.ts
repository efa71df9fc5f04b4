import type { PipelineEvent } from '../../ports/events.js';
import type { DoctorReport } from '../doctor/index.js';

/** A user's step in a scenario: the kubectl command (if any) and the same thing over the API. */
export interface DemoStep {
  readonly title: string;
  readonly kubectl?: readonly string[];
  run(): Promise<void>;
}

/** A scenario after its setup, as the demo needs it (the sim's `PreparedScenario` fits). */
export interface PreparedDemoScenario {
  readonly namespace: string;
  readonly images: Readonly<Record<string, { readonly reference: string; readonly digest: string }>>;
  readonly steps: readonly DemoStep[];
  readonly expected: readonly { readonly name: string }[];
}

/** One seed scenario, bound to the demo's cluster. */
export interface DemoScenario {
  readonly id: number;
  readonly slug: string;
  readonly title: string;
  readonly seed: string;
  readonly story: string;
  setup(): Promise<PreparedDemoScenario>;
  /** Waits until the scenario's trap has happened (its expected outcome). */
  settle(prepared: PreparedDemoScenario): Promise<void>;
}

/**
 * The cluster the demo runs on, as ports: the CLI binds it to a simulated cluster, so this layer
 * never starts one itself.
 */
export interface DemoCluster {
  readonly kubeconfigPath: string;
  /** The registry name every node resolves (`registry.sim:PORT`). */
  readonly registryName: string;
  readonly nodeNames: readonly string[];
  readonly scenarios: readonly DemoScenario[];
  /** Pushes the image a scenario built locally (`label`, e.g. `dev`) under `reference`. */
  pushBuilt(reference: string, label: string): Promise<string>;
}

/** What the demo tells its renderer. */
export type DemoEvent =
  | {
      readonly type: 'demo:start';
      readonly nodes: readonly string[];
      readonly registry: string;
      readonly scenes: number;
    }
  | {
      readonly type: 'scene:start';
      readonly scene: number;
      readonly of: number;
      readonly title: string;
      readonly seed: string;
      readonly story: string;
      readonly namespace: string;
    }
  /** A user action: a command line as they would type it. */
  | {
      readonly type: 'scene:command';
      readonly scene: number;
      readonly command: string;
      readonly phase: 'trap' | 'look' | 'fix';
    }
  /** The output of a command (kubectl's, or the same table read from the API). */
  | { readonly type: 'scene:output'; readonly scene: number; readonly text: string }
  | {
      readonly type: 'scene:doctor';
      readonly scene: number;
      readonly phase: 'diagnose' | 'proof';
      readonly report: DoctorReport;
    }
  | { readonly type: 'scene:deploy'; readonly scene: number; readonly event: PipelineEvent }
  | { readonly type: 'scene:note'; readonly scene: number; readonly text: string }
  | {
      readonly type: 'scene:end';
      readonly scene: number;
      readonly ok: boolean;
      /** One line per pod: `web-…  k3s-agent-1  sha256:…`, and what is still wrong when not ok. */
      readonly proof: readonly string[];
      readonly elapsedMs: number;
    }
  | {
      readonly type: 'demo:end';
      readonly ok: boolean;
      readonly elapsedMs: number;
      readonly passed: number;
      readonly scenes: number;
    };
