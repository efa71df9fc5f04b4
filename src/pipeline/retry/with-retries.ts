import { isKubefreshError } from '../../errors/index.js';
import type { Clock } from '../../ports/clock.js';
import { isTransient } from './resilient-kube.js';

/** Attempts for a write that meets 409 Conflict or a 5xx; each re-reads before writing again. */
export const WRITE_ATTEMPTS = 8;
const BACKOFF_MS = [50, 100, 200, 400, 800, 1000, 1000];

/** True for errors worth retrying a write on: a conflict, or the server failing for a moment. */
export function isRetryable(error: unknown): boolean {
  return (
    isKubefreshError(error) &&
    (error.code === 'KUBE_CONFLICT' || error.code === 'KUBE_UNREACHABLE' || isTransient(error, true))
  );
}

/** Runs `attempt` until it succeeds, retrying conflicts and transient errors with back-off. */
export async function withRetries<T>(
  clock: Clock,
  attempt: (n: number) => Promise<T>,
  onRetry?: (error: unknown, n: number) => void,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= WRITE_ATTEMPTS || !isRetryable(error)) throw error;
      onRetry?.(error, n);
      await clock.sleep(BACKOFF_MS[n - 1] ?? 1000);
    }
  }
}
