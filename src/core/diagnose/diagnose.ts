import type { Finding } from '../findings/index.js';
import { CODE_INFO, type DoctorCode } from './codes.js';
import { SnapshotIndex } from './context.js';
import { freshnessOf } from './freshness.js';
import { recommend } from './recommend.js';
import { rolloutState } from './rollout.js';
import { type ClusterRegistry, triageUnit } from './triage.js';
import type { ClusterSnapshot } from './types.js';
import { buildUnits, type Unit, unitRef } from './units.js';

function rolloutFindings(unit: Unit): Finding[] {
  if (unit.object === undefined) return [];
  const state = rolloutState(unit.object);
  if (state.done) return [];
  const code: DoctorCode = state.stuck ? 'ROLLOUT_STUCK' : 'ROLLOUT_IN_PROGRESS';
  const progressing = unit.object.status?.conditions?.find((c) => c.type === 'Progressing');
  const message =
    state.stuck && progressing?.message !== undefined
      ? `${state.message}: ${progressing.message}`
      : state.message;
  return [
    {
      code,
      severity: CODE_INFO[code].severity,
      subject: {
        ...unitRef(unit),
      },
      message,
      evidence: {
        generation: unit.object.metadata?.generation ?? null,
        observedGeneration: unit.object.status?.observedGeneration ?? null,
        replicas: unit.object.spec?.replicas ?? null,
        updatedReplicas: unit.object.status?.updatedReplicas ?? null,
        availableReplicas: unit.object.status?.availableReplicas ?? null,
        oldPods: unit.oldPods.map((p) => p.metadata?.name ?? ''),
      },
      remedy: recommend(code, {
        ...unitRef(unit),
        canRollBack: unit.canRollBack,
      }),
    },
  ];
}

/**
 * Diagnoses a cluster snapshot: for each workload (and each pod no workload owns), the rollout
 * state, failure triage of its pods, and per container a freshness verdict comparing every pod's
 * running digest with the registry's, plus node-cache and pull-policy risks. Pure: the same
 * snapshot always gives the same findings, in the snapshot's workload order.
 */
export function diagnose(snapshot: ClusterSnapshot): Finding[] {
  const index = new SnapshotIndex(snapshot);
  const registry: ClusterRegistry = { fact: (image) => snapshot.registry[image] };
  const findings: Finding[] = [];
  for (const unit of buildUnits(snapshot)) {
    const failures = triageUnit(unit, index, registry);
    // Pods that fail explain a rollout that waits; "in progress" beside them is noise.
    const rollout = rolloutFindings(unit).filter(
      (f) => f.code !== 'ROLLOUT_IN_PROGRESS' || failures.length === 0,
    );
    findings.push(...rollout, ...failures);
    for (const container of unit.containers) findings.push(...freshnessOf(unit, container, index, registry));
  }
  return findings;
}

/** Every distinct image the snapshot's specs name: what gathering must ask the registry about. */
export function imagesToResolve(snapshot: Pick<ClusterSnapshot, 'workloads' | 'pods'>): string[] {
  const images = new Set<string>();
  for (const workload of snapshot.workloads) {
    const spec = workload.spec?.template?.spec;
    for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])])
      if (c.image) images.add(c.image);
  }
  for (const pod of snapshot.pods) {
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])])
      if (c.image) images.add(c.image);
  }
  return [...images].sort();
}

/** Every workload (and bare pod) the snapshot holds, as finding subjects: what the summary counts. */
export function workloadSubjects(
  snapshot: ClusterSnapshot,
): { kind: string; namespace?: string; name: string }[] {
  return buildUnits(snapshot).map(unitRef);
}
