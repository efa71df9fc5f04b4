import type { Clock } from '../../ports/clock.js';
import { EventRecorder } from '../events/index.js';
import type { KubeObject, ObjectStore, Watch } from '../store/index.js';
import { controllerOf, keyFor } from './objects.js';
import { WorkQueue } from './work-queue.js';

/** What every workload controller is given. */
export interface WorkloadControllerOptions {
  readonly store: ObjectStore;
  readonly clock: Clock;
  /** Called when a sync throws; the key is retried with back-off either way. */
  readonly onError?: (key: string, error: unknown) => void;
}

/**
 * The wiring kube-controller-manager's workload controllers share: informers feed `namespace/name`
 * keys into a rate-limited work queue, `sync` reconciles one key, events are recorded under the
 * controller's component name. Subclasses say which informers they need and how to sync.
 */
export abstract class WorkloadController {
  protected readonly store: ObjectStore;
  protected readonly clock: Clock;
  protected readonly queue: WorkQueue;
  protected readonly events: EventRecorder;
  private readonly watches: Watch[] = [];

  constructor(options: WorkloadControllerOptions, component: string) {
    this.store = options.store;
    this.clock = options.clock;
    this.queue = new WorkQueue(options.clock, (key) => this.sync(key), options.onError);
    this.events = new EventRecorder(options.store, options.clock, { component });
  }

  start(): void {
    this.watches.push(...this.informers());
  }

  stop(): void {
    for (const watch of this.watches) watch.stop();
    this.watches.length = 0;
    this.queue.stop();
  }

  /** One reconcile of one object, by `namespace/name`. Public for tests. */
  abstract sync(key: string): void;

  /** The watches that feed the queue; started by {@link start}, stopped by {@link stop}. */
  protected abstract informers(): Watch[];

  /** Queues the controller of `object` when it is of `kind` (a pod's ReplicaSet, say). */
  protected enqueueController(object: KubeObject, kind: string): void {
    const owner = controllerOf(object);
    if (owner?.kind === kind) this.queue.add(keyFor(object.metadata.namespace, owner.name));
  }
}
