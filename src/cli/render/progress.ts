import type { PipelineEvent, StepName } from '../../ports/events.js';
import type { TextSink } from '../io.js';
import type { Colors } from './colors.js';

export interface ProgressOptions {
  readonly out: TextSink;
  readonly colors: Colors;
  /** Redraw a live step list (spinners, elapsed time, slowest pod); otherwise plain lines. */
  readonly live: boolean;
  /** Milliseconds now (injected for tests). Default: Date.now. */
  readonly now?: () => number;
}

export interface Progress {
  emit(event: PipelineEvent): void;
  /** Stops the spinner and leaves the final step list on screen. */
  stop(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;
/** Plain output repeats unchanged rollout messages at most this often (counts flicker in crash loops). */
const PLAIN_REPEAT_MS = 5000;

interface StepLine {
  step: StepName;
  state: 'running' | 'done' | 'failed' | 'skipped';
  message: string;
  started: number;
  durationMs?: number;
  detail?: string;
}

/** `1.2s`, `850ms`, `2m03s` */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function countsText(event: Extract<PipelineEvent, { type: 'step:progress' }>): string {
  const pods = event.pods;
  return pods === undefined ? event.message : `${pods.updated}/${pods.desired} updated, ${pods.ready} ready`;
}

/**
 * Renders pipeline events for people. On a terminal: a step list redrawn in place, with a spinner,
 * pod counts (`3/5 updated, 2 ready`), elapsed time and the slowest pod. Elsewhere (pipes, CI):
 * one plain line per step change and per change in pod counts, never control characters.
 */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const c = options.colors;
  const lines: StepLine[] = [];
  const warnings: string[] = [];
  let drawn = 0;
  let frame = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let lastPlain = { message: '', at: 0 };

  const mark = (line: StepLine) =>
    line.state === 'done'
      ? c.green('✓')
      : line.state === 'failed'
        ? c.red('✗')
        : line.state === 'skipped'
          ? c.dim('-')
          : c.cyan(SPINNER[frame % SPINNER.length]!);
  const render = (line: StepLine) => {
    const elapsed = line.durationMs ?? now() - line.started;
    const time = line.state === 'skipped' ? '' : c.dim(` (${formatDuration(elapsed)})`);
    const detail = line.detail === undefined || line.state !== 'running' ? '' : `\n    ${c.dim(line.detail)}`;
    return `${mark(line)} ${line.step.padEnd(9)} ${line.message}${time}${detail}`;
  };
  const redraw = () => {
    if (!options.live) return;
    const text = [...warnings.map((w) => c.yellow(`! ${w}`)), ...lines.map(render)].join('\n');
    const clear = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : '';
    options.out.write(`${clear}${text}\n`);
    drawn = text.split('\n').length;
  };
  const plain = (text: string) => {
    if (!options.live) options.out.write(`${text}\n`);
  };
  const find = (step: StepName) => {
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.step === step) return lines[i];
    return undefined;
  };

  return {
    emit(event) {
      switch (event.type) {
        case 'step:start': {
          lines.push({ step: event.step, state: 'running', message: event.message, started: now() });
          plain(`… ${event.step.padEnd(9)} ${event.message}`);
          if (options.live && timer === undefined) {
            timer = setInterval(() => {
              frame++;
              redraw();
            }, FRAME_MS);
            timer.unref?.();
          }
          break;
        }
        case 'step:progress': {
          let line = find(event.step);
          if (line === undefined || line.state !== 'running') {
            line = { step: event.step, state: 'running', message: '', started: now() };
            lines.push(line);
          }
          line.message = countsText(event);
          const slow = event.slowest;
          line.detail =
            slow === undefined
              ? event.message
              : `${event.message}\n    slowest: ${slow.pod}${slow.node ? ` on ${slow.node}` : ''} ${slow.state} for ${formatDuration(slow.ageMs)}`;
          const t = now();
          if (event.message !== lastPlain.message || t - lastPlain.at >= PLAIN_REPEAT_MS) {
            lastPlain = { message: event.message, at: t };
            plain(`  ${event.step.padEnd(9)} ${line.message}: ${event.message}`);
          }
          break;
        }
        case 'step:done':
        case 'step:failed': {
          const line = find(event.step) ?? {
            step: event.step,
            state: 'running',
            message: '',
            started: now(),
          };
          if (!lines.includes(line)) lines.push(line);
          line.state = event.type === 'step:done' ? 'done' : 'failed';
          line.message = event.type === 'step:failed' ? `${event.code}: ${event.message}` : event.message;
          line.durationMs = event.durationMs;
          plain(
            `${event.type === 'step:done' ? '✓' : '✗'} ${event.step.padEnd(9)} ${line.message} (${formatDuration(event.durationMs)})`,
          );
          break;
        }
        case 'step:skipped':
          lines.push({ step: event.step, state: 'skipped', message: event.message, started: now() });
          plain(`- ${event.step.padEnd(9)} ${event.message}`);
          break;
        case 'warning':
          warnings.push(`${event.code}: ${event.message}`);
          plain(`! ${event.code}: ${event.message}`);
          break;
      }
      redraw();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      redraw();
    },
  };
}
