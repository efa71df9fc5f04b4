import type { Clock } from '../../ports/clock.js';
import type { ObjectStore } from '../store/index.js';
import { DaemonSetController } from './daemonset/controller.js';
import { DeploymentController } from './deployment/controller.js';
import { GarbageCollector } from './gc/garbage-collector.js';
import { ReplicaSetController } from './replicaset/controller.js';
import { Scheduler } from './scheduler/scheduler.js';
import { StatefulSetController } from './statefulset/controller.js';

/** Which controllers to run; all by default. */
export interface ControllerSelection {
  readonly deployments?: boolean;
  readonly replicaSets?: boolean;
  readonly statefulSets?: boolean;
  readonly daemonSets?: boolean;
  readonly scheduler?: boolean;
  readonly garbageCollector?: boolean;
}

export interface StartControllersOptions {
  readonly store: ObjectStore;
  readonly clock: Clock;
  /** Default: all four. Tests turn one off to watch another in isolation. */
  readonly run?: ControllerSelection;
  /**
   * Called when a sync fails unexpectedly (the key is retried with back-off). Default: nothing,
   * the library is silent; `sim start -v` can print these.
   */
  readonly onError?: (component: string, key: string, error: unknown) => void;
}

export interface RunningControllers {
  stop(): void;
}

/**
 * Starts the control plane of the simulated cluster (kube-controller-manager's deployment,
 * replicaset and garbage-collector controllers, and kube-scheduler) over `store`. Each watches the
 * store and reconciles through a de-duplicating work queue; all timing goes through `clock`.
 */
export function startControllers(options: StartControllersOptions): RunningControllers {
  const { store, clock } = options;
  const run = options.run ?? {};
  const report = (component: string) => (key: string, error: unknown) =>
    options.onError?.(component, key, error);
  const parts: { start(): void; stop(): void }[] = [];
  if (run.replicaSets !== false) {
    parts.push(new ReplicaSetController({ store, clock, onError: report('replicaset-controller') }));
  }
  if (run.deployments !== false) {
    parts.push(new DeploymentController({ store, clock, onError: report('deployment-controller') }));
  }
  if (run.statefulSets !== false) {
    parts.push(new StatefulSetController({ store, clock, onError: report('statefulset-controller') }));
  }
  if (run.daemonSets !== false) {
    parts.push(new DaemonSetController({ store, clock, onError: report('daemonset-controller') }));
  }
  if (run.scheduler !== false)
    parts.push(new Scheduler({ store, clock, onError: report('default-scheduler') }));
  if (run.garbageCollector !== false) {
    parts.push(new GarbageCollector({ store, clock, onError: report('garbage-collector') }));
  }
  for (const part of parts) part.start();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      for (const part of parts) part.stop();
    },
  };
}
