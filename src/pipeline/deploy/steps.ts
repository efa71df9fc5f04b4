import type { Clock } from '../../ports/clock.js';
import type { EventSink, PipelineEvent, StepName } from '../../ports/events.js';

/** An event sink that drops everything: the library's default, so it stays silent. */
export const SILENT: EventSink = { emit: () => {} };

/** The wall clock, for callers that do not inject one. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const handle = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(handle);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Emits step events with their durations; one per pipeline run. */
export class Steps {
  private readonly started = new Map<StepName, number>();
  constructor(
    private readonly sink: EventSink,
    private readonly clock: Clock,
  ) {}

  emit(event: PipelineEvent): void {
    try {
      this.sink.emit(event);
    } catch {
      // A renderer's failure must not break the transaction.
    }
  }
  start(step: StepName, message: string): void {
    this.started.set(step, this.clock.now());
    this.emit({ type: 'step:start', step, message });
  }
  elapsed(step: StepName): number {
    return Math.max(0, this.clock.now() - (this.started.get(step) ?? this.clock.now()));
  }
  done(step: StepName, message: string): void {
    this.emit({ type: 'step:done', step, message, durationMs: this.elapsed(step) });
  }
  failed(step: StepName, code: string, message: string): void {
    this.emit({ type: 'step:failed', step, code, message, durationMs: this.elapsed(step) });
  }
  skipped(step: StepName, message: string): void {
    this.emit({ type: 'step:skipped', step, message });
  }
  warning(code: string, message: string): void {
    this.emit({ type: 'warning', code, message });
  }
}
