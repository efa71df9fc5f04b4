import type { RequestKind } from './request-kind.js';

/** One request as the registry saw and answered it. */
export interface RequestRecord {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly kind: RequestKind;
  readonly repository?: string;
  readonly reference?: string;
  /** The status answered; 0 when the connection was dropped by a fault. */
  status: number;
  /** The `Accept` header, joined, for content-negotiation checks. */
  readonly accept?: string;
}

/** Filter for {@link RequestLog.count}: every given field must match. */
export interface RequestFilter {
  readonly method?: string;
  readonly kind?: RequestKind;
  readonly repository?: string;
  readonly status?: number;
}

/** Everything the registry answered, for tests and benchmarks that count GETs against HEADs. */
export class RequestLog {
  /** Oldest first; capped at `limit` entries (counters keep counting beyond it). */
  readonly records: RequestRecord[] = [];
  private readonly totals = new Map<string, number>();

  constructor(private readonly limit = 100_000) {}

  /** @internal */
  add(record: RequestRecord): void {
    this.totals.set(record.method, (this.totals.get(record.method) ?? 0) + 1);
    if (this.records.length >= this.limit) this.records.shift();
    this.records.push(record);
  }

  /** Requests per HTTP method since the last reset, e.g. `{HEAD: 300, GET: 2}`. */
  byMethod(): Record<string, number> {
    return Object.fromEntries(this.totals);
  }

  /** How many logged requests match the filter. */
  count(filter: RequestFilter = {}): number {
    return this.records.filter(
      (r) =>
        (filter.method === undefined || r.method === filter.method) &&
        (filter.kind === undefined || r.kind === filter.kind) &&
        (filter.repository === undefined || r.repository === filter.repository) &&
        (filter.status === undefined || r.status === filter.status),
    ).length;
  }

  /** Forgets everything logged so far. */
  reset(): void {
    this.records.length = 0;
    this.totals.clear();
  }
}
