import type { KubeObject } from '../store/index.js';
import { type Obj, obj, setDefault } from './object-fields.js';
import type { ResourceInfo } from './resources.js';

/**
 * apps/v1 StatefulSets, DaemonSets and ControllerRevisions: their resource entries, the real
 * server's defaulting, and the DaemonSet template generation it keeps in an annotation. Kept apart
 * from the Deployment code so the two families stay small; `resources.ts`, `defaults.ts` and
 * `objects.ts` wire these in with one line each.
 */
export const WORKLOAD_KIND_RESOURCES: readonly ResourceInfo[] = [
  {
    plural: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    storeKey: 'statefulsets.apps',
    subresources: ['status', 'scale'],
  },
  {
    plural: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    storeKey: 'daemonsets.apps',
    subresources: ['status'],
  },
  {
    plural: 'controllerrevisions',
    singular: 'controllerrevision',
    kind: 'ControllerRevision',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: [],
    categories: [],
    storeKey: 'controllerrevisions.apps',
    subresources: [],
  },
];

/** The annotation apps/v1 DaemonSets carry their template generation in (pods get it as a label). */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/**
 * `SetDefaults_StatefulSet` / `SetDefaults_DaemonSet` of apps/v1 (k8s 1.32, default feature gates:
 * no StatefulSet maxUnavailable, PVC retention policy defaulted). Pod template defaults are the
 * caller's (`defaultTemplate`). Returns false for other kinds.
 */
export function applyWorkloadKindDefaults(object: KubeObject, creating: boolean): boolean {
  const spec = obj(object, 'spec');
  if (object.kind === 'StatefulSet') {
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'podManagementPolicy', 'OrderedReady');
    setDefault(spec, 'revisionHistoryLimit', 10);
    const strategy = obj(spec, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') setDefault(obj(strategy, 'rollingUpdate'), 'partition', 0);
    const retention = obj(spec, 'persistentVolumeClaimRetentionPolicy');
    setDefault(retention, 'whenDeleted', 'Retain');
    setDefault(retention, 'whenScaled', 'Retain');
    if (object.status === undefined) object.status = { replicas: 0, availableReplicas: 0 };
    return true;
  }
  if (object.kind === 'DaemonSet') {
    setDefault(spec, 'revisionHistoryLimit', 10);
    const strategy = obj(spec, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rolling = obj(strategy, 'rollingUpdate');
      setDefault(rolling, 'maxUnavailable', 1);
      setDefault(rolling, 'maxSurge', 0);
    }
    if (creating) {
      const annotations = obj(object.metadata, 'annotations');
      annotations[TEMPLATE_GENERATION_ANNOTATION] = '1';
    }
    if (object.status === undefined) {
      object.status = {
        currentNumberScheduled: 0,
        desiredNumberScheduled: 0,
        numberMisscheduled: 0,
        numberReady: 0,
      };
    }
    return true;
  }
  return false;
}

/**
 * On a DaemonSet update, the server bumps the template generation when the pod template changed
 * and keeps it otherwise (a client cannot set it). `sameTemplate` compares canonical JSON.
 */
export function carryTemplateGeneration(
  next: KubeObject,
  current: KubeObject,
  sameTemplate: (a: unknown, b: unknown) => boolean,
): void {
  if (next.kind !== 'DaemonSet') return;
  const before = Number(current.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? 1);
  const changed = !sameTemplate(
    (next.spec as Obj | undefined)?.template,
    (current.spec as Obj | undefined)?.template,
  );
  const annotations = obj(next.metadata, 'annotations');
  annotations[TEMPLATE_GENERATION_ANNOTATION] = String(changed ? before + 1 : before);
}
