import { rfc3339Nano } from './format.js';

export interface LogOptions {
  readonly previous?: boolean | undefined;
  readonly tailLines?: number | undefined;
  readonly sinceSeconds?: number | undefined;
  readonly timestamps?: boolean | undefined;
}

interface LogLine {
  readonly time: number;
  readonly text: string;
}

/**
 * The log files of one container: one per instance (each restart starts a new file), of which the
 * kubelet keeps the current and the previous one, as `kubectl logs --previous` sees them.
 */
export class ContainerLogs {
  private current: LogLine[] | undefined;
  private previous: LogLine[] | undefined;

  /** A new container instance started: the current log becomes the previous one. */
  startInstance(): void {
    if (this.current) this.previous = this.current;
    this.current = [];
  }

  write(time: number, text: string): void {
    if (!this.current) this.current = [];
    this.current.push({ time, text });
  }

  hasInstance(previous: boolean): boolean {
    return (previous ? this.previous : this.current) !== undefined;
  }

  /** The log text, or undefined when that instance does not exist. */
  read(options: LogOptions, now: number): string | undefined {
    const lines = options.previous ? this.previous : this.current;
    if (!lines) return undefined;
    let selected = lines;
    if (options.sinceSeconds !== undefined) {
      const since = now - options.sinceSeconds * 1000;
      selected = selected.filter((line) => line.time >= since);
    }
    if (options.tailLines !== undefined && options.tailLines >= 0) {
      selected = options.tailLines === 0 ? [] : selected.slice(-options.tailLines);
    }
    return selected
      .map((line) => `${options.timestamps ? `${rfc3339Nano(line.time)} ` : ''}${line.text}\n`)
      .join('');
  }
}
