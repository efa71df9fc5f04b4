/**
 * What the run has learnt about each registry's health, shared by every request to it, so a
 * registry that answers 429 or keeps failing is asked less, not more: one "slow down" makes every
 * request to that registry wait (Retry-After when it gives one), and after {@link TRIP_AFTER}
 * failed answers in a row with no success between, the rest of the run stops asking it at all.
 * Without this, 200 images behind a registry answering 429 cost 800 requests (each image's own
 * three retries); with it, about a wave of concurrent first attempts plus a handful.
 */
export const TRIP_AFTER = 8;

interface Health {
  /** No request to this registry goes out before this time (ms since the epoch). */
  until: number;
  /** Retryable answers (429, 5xx) since the last good one. */
  failing: number;
  /** HTTP exchanges sent to this registry in this run. */
  requests: number;
  /** Set once the registry failed {@link TRIP_AFTER} times in a row: its last status. */
  tripped?: { readonly status: number; readonly retryAfterMs?: number };
}

export class RegistryHealth {
  private readonly byRegistry = new Map<string, Health>();

  constructor(private readonly now: () => number = Date.now) {}

  private of(registry: string): Health {
    const key = registry.toLowerCase();
    let health = this.byRegistry.get(key);
    if (health === undefined) {
      health = { until: 0, failing: 0, requests: 0 };
      this.byRegistry.set(key, health);
    }
    return health;
  }

  /** Before a request: how long to wait first, or the answer that made the run give up on it. */
  before(
    registry: string,
  ): { readonly waitMs: number } | { readonly tripped: NonNullable<Health['tripped']> } {
    const health = this.of(registry);
    if (health.tripped !== undefined) return { tripped: health.tripped };
    return { waitMs: Math.max(0, health.until - this.now()) };
  }

  sent(registry: string): void {
    this.of(registry).requests++;
  }

  requests(registry: string): number {
    return this.of(registry).requests;
  }

  /** A 429 or 5xx: everyone waits `delayMs` (at least); too many in a row and the run stops asking. */
  failed(registry: string, status: number, delayMs: number, retryAfterMs?: number): void {
    const health = this.of(registry);
    health.failing++;
    health.until = Math.max(health.until, this.now() + delayMs);
    if (health.failing >= TRIP_AFTER)
      health.tripped = { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }

  succeeded(registry: string): void {
    this.of(registry).failing = 0;
  }
}
