/**
 * The parts of a Deployment, StatefulSet or DaemonSet that `kubectl rollout status` reads, as the
 * API serves them. Every field is optional because real objects omit what is empty.
 */
export interface RolloutObject {
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly generation?: number;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec?: {
    readonly replicas?: number;
    readonly updateStrategy?: {
      readonly type?: string;
      readonly rollingUpdate?: { readonly partition?: number };
    };
  };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly updatedReplicas?: number;
    readonly readyReplicas?: number;
    readonly availableReplicas?: number;
    readonly currentReplicas?: number;
    readonly currentRevision?: string;
    readonly updateRevision?: string;
    readonly desiredNumberScheduled?: number;
    readonly updatedNumberScheduled?: number;
    readonly numberAvailable?: number;
    readonly conditions?: readonly { readonly type?: string; readonly reason?: string }[];
  };
}

/** Where a rollout stands, in kubectl's words; `failed` when kubectl would exit non-zero. */
export interface RolloutStatus {
  readonly done: boolean;
  /** kubectl's message without its trailing newline. */
  readonly message: string;
  /** Set when waiting cannot succeed: kubectl returns an error here. */
  readonly failed?: {
    readonly code: 'ROLLOUT_DEADLINE_EXCEEDED' | 'ROLLOUT_UNSUPPORTED_STRATEGY' | 'ROLLOUT_REVISION_CHANGED';
    readonly message: string;
  };
}

export interface RolloutStatusOptions {
  /** `--revision`: fail unless the Deployment's current revision is this one. Default: any. */
  readonly revision?: number;
}

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** The condition reason the deployment controller sets when the progress deadline passes. */
const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
const ROLLING_UPDATE = 'RollingUpdate';

function failed(
  code: NonNullable<RolloutStatus['failed']>['code'],
  message: string,
  done = false,
): RolloutStatus {
  return { done, message, failed: { code, message } };
}

/**
 * kubectl's `rollout status` (`polymorphichelpers/rollout_status.go`) as a pure function: the same
 * checks, in the same order, with the same messages, per kind. It never looks at images or digests;
 * that is what verification adds. Objects are read as the API server stores them (defaulted), so a
 * missing `updateStrategy.type` counts as `RollingUpdate`, the server's default.
 */
export function rolloutStatus(object: RolloutObject, options: RolloutStatusOptions = {}): RolloutStatus {
  switch (object.kind) {
    case 'StatefulSet':
      return statefulSetStatus(object);
    case 'DaemonSet':
      return daemonSetStatus(object);
    default:
      return deploymentStatus(object, options);
  }
}

function deploymentStatus(d: RolloutObject, options: RolloutStatusOptions): RolloutStatus {
  const name = d.metadata?.name ?? '';
  if (options.revision !== undefined && options.revision > 0) {
    const running = Number(d.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0);
    if (running !== options.revision) {
      return failed(
        'ROLLOUT_REVISION_CHANGED',
        `desired revision (${options.revision}) is different from the running revision (${running})`,
      );
    }
  }
  const status = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return { done: false, message: 'Waiting for deployment spec update to be observed...' };
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === TIMED_OUT_REASON) {
    return failed('ROLLOUT_DEADLINE_EXCEEDED', `deployment "${name}" exceeded its progress deadline`);
  }
  const wait = `Waiting for deployment "${name}" rollout to finish: `;
  const updated = status.updatedReplicas ?? 0;
  const replicas = d.spec?.replicas;
  if (replicas !== undefined && updated < replicas) {
    return { done: false, message: `${wait}${updated} out of ${replicas} new replicas have been updated...` };
  }
  const total = status.replicas ?? 0;
  if (total > updated) {
    return { done: false, message: `${wait}${total - updated} old replicas are pending termination...` };
  }
  const available = status.availableReplicas ?? 0;
  if (available < updated) {
    return { done: false, message: `${wait}${available} of ${updated} updated replicas are available...` };
  }
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}

function daemonSetStatus(ds: RolloutObject): RolloutStatus {
  const name = ds.metadata?.name ?? '';
  if ((ds.spec?.updateStrategy?.type ?? ROLLING_UPDATE) !== ROLLING_UPDATE) {
    return failed(
      'ROLLOUT_UNSUPPORTED_STRATEGY',
      `rollout status is only available for ${ROLLING_UPDATE} strategy type`,
      true,
    );
  }
  const status = ds.status ?? {};
  if ((ds.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return { done: false, message: 'Waiting for daemon set spec update to be observed...' };
  }
  const desired = status.desiredNumberScheduled ?? 0;
  const updated = status.updatedNumberScheduled ?? 0;
  const wait = `Waiting for daemon set "${name}" rollout to finish: `;
  if (updated < desired) {
    return { done: false, message: `${wait}${updated} out of ${desired} new pods have been updated...` };
  }
  const available = status.numberAvailable ?? 0;
  if (available < desired) {
    return { done: false, message: `${wait}${available} of ${desired} updated pods are available...` };
  }
  return { done: true, message: `daemon set "${name}" successfully rolled out` };
}

function statefulSetStatus(sts: RolloutObject): RolloutStatus {
  const strategy = sts.spec?.updateStrategy;
  if ((strategy?.type ?? ROLLING_UPDATE) !== ROLLING_UPDATE) {
    return failed(
      'ROLLOUT_UNSUPPORTED_STRATEGY',
      `rollout status is only available for ${ROLLING_UPDATE} strategy type`,
      true,
    );
  }
  const status = sts.status ?? {};
  const observed = status.observedGeneration ?? 0;
  if (observed === 0 || (sts.metadata?.generation ?? 0) > observed) {
    return { done: false, message: 'Waiting for statefulset spec update to be observed...' };
  }
  const replicas = sts.spec?.replicas;
  const ready = status.readyReplicas ?? 0;
  if (replicas !== undefined && ready < replicas) {
    return { done: false, message: `Waiting for ${replicas - ready} pods to be ready...` };
  }
  const updated = status.updatedReplicas ?? 0;
  // kubectl takes this branch whenever rollingUpdate is set, which the API server's defaulting
  // (partition: 0) makes the usual case for apps/v1 objects.
  if (strategy?.rollingUpdate !== undefined) {
    const partition = strategy.rollingUpdate.partition;
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return {
        done: false,
        message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`,
      };
    }
    return { done: true, message: `partitioned roll out complete: ${updated} new pods have been updated...` };
  }
  if (status.updateRevision !== status.currentRevision) {
    return {
      done: false,
      message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${status.updateRevision ?? ''}...`,
    };
  }
  return {
    done: true,
    message: `statefulset rolling update complete ${status.currentReplicas ?? 0} pods at revision ${status.currentRevision ?? ''}...`,
  };
}
