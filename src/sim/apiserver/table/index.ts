/**
 * Server-side printing. `kubectl get` asks for `application/json;as=Table;v=v1;g=meta.k8s.io`
 * and prints whatever columns the server defines; without Tables it would show only NAME and AGE.
 * Each kind's columns and cells follow k/k `pkg/printers/internalversion/printers.go`; the server
 * always sends the wide (priority 1) columns and kubectl hides them unless `-o wide`.
 */
import type { KubeObject } from '../../store/index.js';
import { printerFor } from './printers.js';

export { humanDuration, since } from './human-duration.js';
export { type PodSummary, summarizePod } from './pod-status.js';
export { type Column, type Printer, printerFor } from './printers.js';

/** What each row carries besides cells: `includeObject=None|Metadata|Object` (Metadata by default). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Builds a `meta.k8s.io/v1` Table of `objects` of one `kind`. */
export function buildTable(
  kind: string,
  objects: readonly KubeObject[],
  options: { now: number; include: IncludeObject; resourceVersion: string; continueToken?: string },
): Record<string, unknown> {
  const printer = printerFor(kind);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      resourceVersion: options.resourceVersion,
      ...(options.continueToken ? { continue: options.continueToken } : {}),
    },
    columnDefinitions: printer.columns,
    rows: objects.map((object) => ({
      cells: printer.cells(object, options.now),
      ...(options.include === 'None' ? {} : { object: rowObject(object, options.include) }),
    })),
  };
}

function rowObject(object: KubeObject, include: IncludeObject): unknown {
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}
