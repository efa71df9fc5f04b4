import { isKubefreshError } from '../../errors/index.js';
import type { Clock } from '../../ports/clock.js';
import type {
  KubeClient,
  KubeObject,
  KubeResource,
  ListOptions,
  WatchEvent,
  WatchOptions,
} from '../../ports/kube.js';

export interface ResilienceOptions {
  /** Attempts per read before its error stands. Default: 6 (about 3 s of back-off in all). */
  readonly attempts?: number;
  /**
   * Also retry a refused connection, as when the API server restarts under a rollout. Default:
   * false: before anything changed, a cluster that is not there should be said at once.
   */
  readonly retryRefused?: boolean;
}

const BACKOFF_MS = [100, 200, 400, 800, 1500, 2000];
/** A watch that ran this long before failing starts its attempts afresh. */
const HEALTHY_WATCH_MS = 30_000;

/** Errors a healthy API server gives for a moment. */
export function isTransient(error: unknown, retryRefused = false): boolean {
  if (!isKubefreshError(error)) return false;
  if (error.code === 'KUBE_SERVER_ERROR' || error.code === 'KUBE_TIMEOUT') return true;
  if (error.code === 'KUBE_REQUEST_REJECTED' && error.details?.status === 429) return true;
  if (error.code !== 'KUBE_UNREACHABLE') return false;
  const code = error.details?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || (retryRefused && code === 'ECONNREFUSED');
}

/**
 * `kube` with its reads and watches retried on transient errors (see the folder's doc). Writes pass
 * through: only the caller knows whether a write may be repeated.
 */
export function resilientKube(kube: KubeClient, clock: Clock, options: ResilienceOptions = {}): KubeClient {
  const attempts = options.attempts ?? 6;
  const transient = (error: unknown) => isTransient(error, options.retryRefused === true);
  const read = async <T>(run: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    for (let n = 1; ; n++) {
      try {
        return await run();
      } catch (error) {
        if (n >= attempts || !transient(error) || signal?.aborted) throw error;
        await clock.sleep(BACKOFF_MS[n - 1] ?? 2000, signal);
      }
    }
  };
  return {
    context: kube.context,
    server: kube.server,
    defaultNamespace: kube.defaultNamespace,
    list: <T extends KubeObject>(resource: KubeResource, listOptions?: ListOptions) =>
      read(() => kube.list<T>(resource, listOptions)),
    get: <T extends KubeObject>(resource: KubeResource, namespace: string | undefined, name: string) =>
      read(() => kube.get<T>(resource, namespace, name)),
    podLogs: (namespace, pod, logOptions) => read(() => kube.podLogs(namespace, pod, logOptions)),
    patch: (resource, namespace, name, patch, type) => kube.patch(resource, namespace, name, patch, type),
    delete: (resource, namespace, name, deleteOptions) =>
      kube.delete(resource, namespace, name, deleteOptions),
    async watch<T extends KubeObject>(
      resource: KubeResource,
      watchOptions: WatchOptions,
      onEvent: (event: WatchEvent<T>) => void,
    ): Promise<void> {
      let failures = 0;
      for (;;) {
        const started = clock.now();
        try {
          return await kube.watch<T>(resource, watchOptions, onEvent);
        } catch (error) {
          if (watchOptions.signal?.aborted) return;
          failures = clock.now() - started >= HEALTHY_WATCH_MS ? 1 : failures + 1;
          if (failures >= attempts || !transient(error)) throw error;
          await clock.sleep(BACKOFF_MS[failures - 1] ?? 2000, watchOptions.signal).catch(() => undefined);
        }
      }
    },
  };
}
