import {
  LABEL_EXIT_CODE,
  LABEL_LOGS,
  LABEL_MEMORY,
  LABEL_READY_DELAY,
  LABEL_REQUIRE_ENV,
  LABEL_RUN_DURATION,
  LABEL_START_DELAY,
  LABEL_VERSION,
} from '../images/behaviour-labels.js';
import type { ImageConfig } from '../node/index.js';
import { parseQuantity } from './format.js';

/** What a simulated container does, read from its image's config labels. */
export interface ContainerBehaviour {
  /** Exit code when the process ends; undefined: runs until stopped. */
  readonly exitCode: number | undefined;
  /** Simulated ms the process runs before exiting with `exitCode`. */
  readonly runDurationMs: number;
  /** Simulated ms between container start and the process being up. */
  readonly startDelayMs: number;
  /** Simulated ms after start until a readiness probe would pass. */
  readonly readyDelayMs: number;
  readonly logLines: readonly string[];
  readonly requiredEnv: readonly string[];
  /** Bytes the process uses; above the memory limit it is OOM-killed. */
  readonly memoryBytes: number | undefined;
  readonly version: string | undefined;
}

export function behaviourOf(config: ImageConfig): ContainerBehaviour {
  const labels = config.labels;
  const number = (key: string): number | undefined => {
    const text = labels[key];
    if (text === undefined || text.trim() === '') return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  };
  return {
    exitCode: number(LABEL_EXIT_CODE),
    runDurationMs: Math.max(0, number(LABEL_RUN_DURATION) ?? 0),
    startDelayMs: Math.max(0, number(LABEL_START_DELAY) ?? 0),
    readyDelayMs: Math.max(0, number(LABEL_READY_DELAY) ?? 0),
    logLines: parseLogs(labels[LABEL_LOGS]),
    requiredEnv: (labels[LABEL_REQUIRE_ENV] ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
    memoryBytes: parseQuantity(labels[LABEL_MEMORY]),
    version: labels[LABEL_VERSION],
  };
}

function parseLogs(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  if (text.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // fall through to plain text
    }
  }
  return text.split('\n');
}
