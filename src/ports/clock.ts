/**
 * Time as a dependency. Pipelines and the simulated cluster never read the system clock directly,
 * so tests can run back-offs and deadlines faster than real time.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, in this clock's time. */
  now(): number;
  /** Calls `fn` after `ms` of this clock's time; returns a function that cancels it. */
  setTimeout(fn: () => void, ms: number): () => void;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
