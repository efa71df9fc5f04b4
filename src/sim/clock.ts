import type { Clock } from '../ports/clock.js';

/**
 * A clock that runs `speed` times faster than real time, starting from the real time of its
 * creation. Speed 1 is the wall clock; a test with speed 100 sees a 10 s back-off after 100 ms.
 */
export class ScaledClock implements Clock {
  readonly speed: number;
  private readonly realStart: number;
  private readonly simStart: number;

  constructor(speed = 1, start: number = Date.now()) {
    if (!(speed > 0) || !Number.isFinite(speed))
      throw new RangeError(`clock speed must be > 0, got ${speed}`);
    this.speed = speed;
    this.realStart = Date.now();
    this.simStart = start;
  }

  now(): number {
    return this.simStart + (Date.now() - this.realStart) * this.speed;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const handle = setTimeout(fn, Math.max(0, ms / this.speed));
    handle.unref?.();
    return () => clearTimeout(handle);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        cancel();
        reject(signal?.reason);
      };
      const cancel = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Formats clock time the way the Kubernetes API does (RFC 3339, second precision, UTC). */
export function apiTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
