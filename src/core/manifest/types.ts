import type { Position } from './tree.js';

/** A YAML problem in an input: the `yaml` package's error code, its message, and where. */
export interface ManifestProblem extends Position {
  /** `DUPLICATE_KEY`, `TAB_AS_INDENT`, `BAD_INDENT`, … (the `yaml` package's codes), or `TOO_COMPLEX`. */
  readonly code: string;
  readonly message: string;
}

/** A scalar field as written: its string value (undefined when it is not a string) and position. */
export interface FieldValue extends Position {
  readonly value: string | undefined;
  /** What was written when it is not a string: `null`, `number`, `boolean`, `map`, `seq`. */
  readonly nonString?: string;
}

/** The three container lists of a pod spec. */
export type ContainerGroup = 'initContainers' | 'containers' | 'ephemeralContainers';

/** One container of a workload, with the two fields image rules read. */
export interface ContainerImage extends Position {
  readonly group: ContainerGroup;
  readonly index: number;
  readonly name: string | undefined;
  /** Undefined when the container has no `image` field at all. */
  readonly image: FieldValue | undefined;
  readonly imagePullPolicy: FieldValue | undefined;
  /** Field path inside the document, for messages and SARIF: `spec.template.spec.containers[0]`. */
  readonly path: string;
}

/** A Kubernetes object with a pod spec (Pod, Deployment, CronJob, a CRD with a pod template, …). */
export interface Workload extends Position {
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  /** 0-based index of the document in its file. */
  readonly documentIndex: number;
  /** Path of the object inside its document: '' or `items[3]` for `List` kinds. */
  readonly path: string;
  /** Rule ids from the `kubefresh.io/ignore` annotation (object or pod template), upper-cased. */
  readonly ignore: readonly string[];
  readonly containers: readonly ContainerImage[];
}

/** Everything a scan of one input found. */
export interface ScanResult {
  /** Documents in the input, empty ones excluded. */
  readonly documents: number;
  readonly workloads: Workload[];
  readonly problems: ManifestProblem[];
  /** Documents the fast scanner handed to the full parser (for benchmarks and curiosity). */
  readonly slowDocuments: number;
}
