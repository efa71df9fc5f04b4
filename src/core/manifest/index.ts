/**
 * Manifest scanning: text → YAML documents → Kubernetes workloads → every container image field,
 * with its exact line and column.
 *
 * - Inputs are multi-document YAML streams (`---`), JSON, or `kind: List` (any `…List` kind with
 *   `items`), as `kubectl get -o yaml`, `helm template` and `kustomize build` print them.
 * - Workloads are Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
 *   CronJob and PodTemplate, plus any custom resource whose `spec.template.spec` or
 *   `spec.jobTemplate.spec.template.spec` holds a `containers` list. Documents without `apiVersion`
 *   and `kind` are not Kubernetes objects and are skipped.
 * - All three container lists count: `initContainers`, `containers`, `ephemeralContainers`.
 * - YAML is read as Kubernetes reads it: anchors, aliases and `<<` merge keys resolved, duplicate keys
 *   and tab indentation are errors. A document with errors yields problems (code, message, line,
 *   column) and no workloads; nothing in the text can make scanning throw.
 * - Speed: a line scanner reads the plain block YAML most manifests are made of and hands anything
 *   else, document by document, to the `yaml` package's full composer (see `fast-scan.ts`).
 */
export { composeDocuments } from './compose.js';
export { fastScan } from './fast-scan.js';
export {
  type DocumentSlice,
  forEachDocument,
  type ReadDocument,
  readDocuments,
  scanManifest,
  splitDocuments,
} from './scan.js';
export {
  at,
  child,
  type Position,
  scalarKind,
  stringAt,
  type TreeMap,
  type TreeNode,
  type TreeScalar,
  type TreeSeq,
} from './tree.js';
export type {
  ContainerGroup,
  ContainerImage,
  FieldValue,
  ManifestProblem,
  ScanResult,
  Workload,
} from './types.js';
export { extractWorkloads, IGNORE_ANNOTATION } from './workloads.js';
