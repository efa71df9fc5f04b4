import { rfc3339Nano } from './format.js';

/** What `kubectl logs` asks for (the API server's `pods/log` query). */
export interface LogOptions {
  readonly previous?: boolean | undefined;
  readonly tailLines?: number | undefined;
  readonly sinceSeconds?: number | undefined;
  readonly timestamps?: boolean | undefined;
}

/** Why there is no log to serve, in the kubelet's words (the API server answers 400 with it). */
export interface LogNotFound {
  readonly notFound: string;
}

interface LogLine {
  readonly time: number;
  readonly text: string;
}

/** Dead instances whose logs are kept besides the current one (the kubelet keeps one previous). */
const KEPT_INSTANCES = 3;

/**
 * The log files of one container, one per instance (container ID): each restart starts a new file.
 * Which file `--previous` means is decided from the container's state, as the kubelet does.
 */
export class ContainerLogs {
  private readonly instances = new Map<string, LogLine[]>();

  startInstance(containerId: string): void {
    this.instances.set(containerId, []);
    while (this.instances.size > KEPT_INSTANCES) {
      this.instances.delete(this.instances.keys().next().value!);
    }
  }

  write(containerId: string, time: number, text: string): void {
    this.instances.get(containerId)?.push({ time, text });
  }

  /** The log text of one instance, or undefined when it is not kept. */
  read(containerId: string, options: LogOptions, now: number): string | undefined {
    const lines = this.instances.get(containerId);
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
