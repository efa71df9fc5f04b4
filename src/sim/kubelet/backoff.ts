/** The kubelet's back-off for image pulls and crash loops: 10 s, doubling, capped at 300 s. */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoff: number;
  lastUpdate: number;
}

/**
 * client-go's `flowcontrol.Backoff`, which the kubelet uses for both `ImagePullBackOff` (key
 * `<podUID>_<image>`) and `CrashLoopBackOff` (key per pod and container). An entry untouched for
 * twice the cap is forgotten, which is why ten minutes of clean running resets a crash loop.
 */
export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initial = INITIAL_BACKOFF_MS,
    private readonly max = MAX_BACKOFF_MS,
  ) {}

  /** Starts or doubles the back-off for `key`. */
  next(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) {
      this.entries.set(key, { backoff: this.initial, lastUpdate: now });
      return;
    }
    entry.backoff = Math.min(entry.backoff * 2, this.max);
    entry.lastUpdate = now;
  }

  /** The current delay for `key` (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  /** True while less than the delay has passed since the last `next` (image pulls). */
  inBackOffSinceUpdate(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) return false;
    return now - entry.lastUpdate < entry.backoff;
  }

  /** True while less than the delay has passed since `since` (a container's finish time). */
  inBackOffSince(key: string, since: number, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) return false;
    return now - since < entry.backoff;
  }

  /** When the back-off set by the last `next` ends (0 when none). */
  expiresAt(key: string): number {
    const entry = this.entries.get(key);
    return entry ? entry.lastUpdate + entry.backoff : 0;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets entries untouched for twice the cap (client-go's `GC`). */
  gc(now: number): void {
    for (const [key, entry] of this.entries) if (this.expired(entry, now)) this.entries.delete(key);
  }

  private expired(entry: Entry, now: number): boolean {
    return now - entry.lastUpdate > 2 * this.max;
  }
}
