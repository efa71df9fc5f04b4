import { at, child, scalarKind, stringAt, type TreeNode } from './tree.js';
import type { ContainerGroup, ContainerImage, FieldValue, Workload } from './types.js';

/** The annotation that suppresses rules for one object: `kubefresh.io/ignore: "IMG001,IMG005"`. */
export const IGNORE_ANNOTATION = 'kubefresh.io/ignore';

/** Where each built-in kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Custom resources count when one of these holds something shaped like a pod spec. */
const CUSTOM_POD_SPEC_PATHS: readonly (readonly string[])[] = [
  ['spec', 'template', 'spec'],
  ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
];

const GROUPS: readonly ContainerGroup[] = ['initContainers', 'containers', 'ephemeralContainers'];

/** Finds every workload in one document's tree (recursing into `List` kinds). */
export function extractWorkloads(root: TreeNode | null, documentIndex: number): Workload[] {
  const out: Workload[] = [];
  if (root !== null) visitObject(root, documentIndex, '', out);
  return out;
}

function visitObject(node: TreeNode, documentIndex: number, path: string, out: Workload[]): void {
  if (node.type !== 'map') return;
  const kind = stringAt(child(node, 'kind'));
  const apiVersion = stringAt(child(node, 'apiVersion'));
  if (kind === undefined || apiVersion === undefined) return; // not a Kubernetes object
  const items = child(node, 'items');
  if (kind.endsWith('List') && items?.type === 'seq') {
    items.items.forEach((item, i) => {
      visitObject(item, documentIndex, `${path}items[${i}].`, out);
    });
    return;
  }
  const known = POD_SPEC_PATHS[kind];
  const specPath = known ?? CUSTOM_POD_SPEC_PATHS.find((p) => looksLikePodSpec(at(node, p)));
  if (specPath === undefined) return;
  const podSpec = at(node, specPath);
  if (podSpec?.type !== 'map') return;
  const prefix = `${path}${specPath.join('.')}`;
  const containers: ContainerImage[] = [];
  for (const group of GROUPS) {
    const list = child(podSpec, group);
    if (list?.type !== 'seq') continue;
    list.items.forEach((item, index) => {
      if (item.type !== 'map') return;
      containers.push({
        group,
        index,
        name: stringAt(child(item, 'name')),
        image: field(child(item, 'image')),
        imagePullPolicy: field(child(item, 'imagePullPolicy')),
        path: `${prefix}.${group}[${index}]`,
        line: item.line,
        column: item.column,
      });
    });
  }
  const metadata = child(node, 'metadata');
  const templateMetadata = at(node, [...specPath.slice(0, -1), 'metadata']);
  out.push({
    kind,
    apiVersion,
    name: stringAt(child(metadata, 'name')),
    namespace: stringAt(child(metadata, 'namespace')),
    documentIndex,
    path: path.endsWith('.') ? path.slice(0, -1) : path,
    ignore: [
      ...ignoredRules(metadata),
      ...(templateMetadata === metadata ? [] : ignoredRules(templateMetadata)),
    ],
    containers,
    line: node.line,
    column: node.column,
  });
}

function looksLikePodSpec(node: TreeNode | undefined): boolean {
  return node?.type === 'map' && child(node, 'containers')?.type === 'seq';
}

function ignoredRules(metadata: TreeNode | undefined): string[] {
  const text = stringAt(child(child(metadata, 'annotations'), IGNORE_ANNOTATION));
  if (text === undefined) return [];
  return text
    .split(',')
    .map((id) => id.trim().toUpperCase())
    .filter((id) => id !== '');
}

function field(node: TreeNode | undefined): FieldValue | undefined {
  if (node === undefined) return undefined;
  const position = { line: node.line, column: node.column };
  if (node.type !== 'scalar') return { value: undefined, nonString: node.type, ...position };
  const kind = scalarKind(node);
  return kind === 'string'
    ? { value: node.text, ...position }
    : { value: undefined, nonString: kind, ...position };
}
