/**
 * Surviving a flaky API server. A transaction that has changed the cluster must reach a verdict
 * (verified, rolled back, or told exactly how to roll back), so the errors a healthy server gives
 * for a moment are retried with back-off instead of ending the run:
 *
 * - transient: 5xx answers, 429, timeouts and connections reset or closed under a request;
 * - reads (get, list, logs) and watches are retried by `resilientKube`; a watch that fails is
 *   started again, which re-lists (its consumer sees a RESYNC);
 * - writes are retried where they are built to be repeated (`withRetries` re-reads before each
 *   attempt, so a 409 Conflict is a retry too);
 * - `observed` marks a promise started ahead of its `await`, so its rejection is never "unhandled"
 *   while the code before that `await` runs.
 */
export { observed } from './observed.js';
export { isTransient, type ResilienceOptions, resilientKube } from './resilient-kube.js';
export { isRetryable, WRITE_ATTEMPTS, withRetries } from './with-retries.js';
