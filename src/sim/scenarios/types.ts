import type { SimCluster } from '../cluster/index.js';

/** One thing the user does, both as the kubectl command they would type and as API calls. */
export interface ScenarioStep {
  /** What happens, in the user's words: "push v2 under the same tag". */
  readonly title: string;
  /** The kubectl arguments for this step (without `kubectl`); absent for steps kubectl cannot do (pushes). */
  readonly kubectl?: readonly string[];
  /** What kubectl reads on stdin for this step (`apply -f -`): a manifest. */
  readonly stdin?: string;
  /** Does the step over the API (and the registry), as kubectl would. */
  run(): Promise<void>;
}

/** What a user sees of one Deployment once the scenario settles. */
export interface ExpectedDeployment {
  readonly name: string;
  /**
   * Running pods, by the digest in their `imageID`. `nodes` and `image` (the spec image) narrow
   * which pods an entry is about; each entry needs at least one pod.
   */
  readonly running?: readonly {
    readonly digest: string;
    readonly nodes?: readonly string[];
    readonly image?: string;
  }[];
  /** Pods stuck waiting: one of `reasons`, with `message` in the waiting message or a Failed event. */
  readonly waiting?: readonly {
    readonly reasons: readonly string[];
    readonly message: string;
    readonly nodes?: readonly string[];
    readonly image?: string;
  }[];
  /** Text the crashed container printed (`kubectl logs --previous`). */
  readonly previousLogs?: string;
  /** Revisions `kubectl rollout history` lists, oldest first. */
  readonly revisions?: readonly number[];
}

/** A scenario after `setup`: the steps that walk into the trap, and what they lead to. */
export interface PreparedScenario {
  readonly namespace: string;
  /** Images pushed or imported, by label (`v1`, `v2`): reference and the digest the tag named. */
  readonly images: Readonly<Record<string, { readonly reference: string; readonly digest: string }>>;
  /** The user's actions, in order. */
  readonly steps: readonly ScenarioStep[];
  /** The outcome after the steps (the trap). */
  readonly expected: readonly ExpectedDeployment[];
  /** The seed's manual fix and its outcome, when the seed gives one. */
  readonly fix?: {
    readonly steps: readonly ScenarioStep[];
    readonly expected: readonly ExpectedDeployment[];
  };
}

/** One of the seed guide's failure scenarios, replayable on any sim cluster. */
export interface Scenario {
  /** 1–7, the order of the seed guide's scenario list. */
  readonly id: number;
  /** Short stable name: `stale-latest`, `mixed-digests`… */
  readonly slug: string;
  readonly title: string;
  /** Where the seed guide tells this story. */
  readonly seed: string;
  /** What goes wrong and why, for `demo` to print. */
  readonly story: string;
  /**
   * Pushes/imports the images and creates the namespace and Deployments of the "before" state,
   * waiting until they are rolled out (or have failed, where failing is the point).
   */
  setup(cluster: SimCluster, options?: { readonly namespace?: string }): Promise<PreparedScenario>;
}
