import type { Clock } from '../../ports/clock.js';

/** Handles one key; returning normally means done, throwing means "retry later". */
export type SyncHandler = (key: string) => void;

const BATCH = 250;
const RETRY_BASE_MS = 5;
const RETRY_MAX_MS = 1_000;

/**
 * A de-duplicating work queue like client-go's: a key added many times before it is processed is
 * processed once, so a burst of 500 pod events for one ReplicaSet costs one sync. Keys are drained
 * in batches on `setImmediate`, so HTTP requests and watch deliveries interleave with controller
 * work; `addAfter` schedules on the (possibly fast) cluster clock; failures retry with back-off.
 */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly delayed = new Map<string, { at: number; cancel: () => void }>();
  private readonly failures = new Map<string, number>();
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly handler: SyncHandler,
    private readonly onError: (key: string, error: unknown) => void = () => {},
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    this.schedule();
  }

  /** Adds `key` after `ms` of cluster time; an earlier pending schedule for the key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const cancel = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, cancel });
  }

  /** Number of keys waiting to be processed now (not counting delayed ones). */
  get length(): number {
    return this.pending.size;
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
    for (const { cancel } of this.delayed.values()) cancel();
    this.delayed.clear();
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    let done = 0;
    for (const key of this.pending) {
      if (this.stopped) return;
      this.pending.delete(key);
      try {
        this.handler(key);
        this.failures.delete(key);
      } catch (error) {
        const count = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, count);
        this.onError(key, error);
        this.addAfter(key, Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** count));
      }
      if (++done >= BATCH) break;
    }
    if (this.pending.size > 0) this.schedule();
  }
}
