/**
 * Failures to inject, so tests can watch clients cope with a flaky API server. Rates are
 * probabilities from 0 to 1, drawn per request; times are real milliseconds.
 */
export interface Faults {
  /** Requests for resources that fail with `500 InternalError`. Default: 0. */
  readonly errorRate?: number;
  /** Writes (create, update, patch, delete) that fail with `409 Conflict`. Default: 0. */
  readonly conflictRate?: number;
  /** Delay before every request is handled. Default: 0. */
  readonly latencyMs?: number;
  /** Each watch stream ends after this long, as when a proxy drops it. Default: never. */
  readonly dropWatchesAfterMs?: number;
  /** Watches resuming from a resourceVersion that get `410 Gone` at once. Default: 0. */
  readonly goneRate?: number;
}

const KEYS: readonly (keyof Faults)[] = [
  'errorRate',
  'conflictRate',
  'latencyMs',
  'dropWatchesAfterMs',
  'goneRate',
];

/** Checks a faults object (from code or the admin endpoint); throws a message naming the bad field. */
export function parseFaults(input: unknown): Faults {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(
      `faults must be a JSON object with any of ${KEYS.join(', ')}, got ${JSON.stringify(input)}`,
    );
  }
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!KEYS.includes(key as keyof Faults))
      throw new TypeError(`unknown fault "${key}"; expected one of ${KEYS.join(', ')}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`fault "${key}" must be a number >= 0, got ${JSON.stringify(value)}`);
    }
    if (key.endsWith('Rate') && value > 1)
      throw new TypeError(`fault "${key}" is a probability from 0 to 1, got ${value}`);
    out[key] = value;
  }
  return out;
}
