import type { WorkloadObject } from './types.js';

/**
 * A workload's `spec.selector.matchLabels` as a label selector (`app=web,tier=front`), the form
 * list calls take; undefined when there are none (matchExpressions are not translated).
 */
export function selectorOf(workload: WorkloadObject): string | undefined {
  const labels = workload.spec?.selector?.matchLabels;
  if (labels === undefined || Object.keys(labels).length === 0) return undefined;
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
