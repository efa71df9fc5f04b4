import { describe, expect, it } from 'vitest';
import { colorsFor } from '../../src/cli/render/colors.js';
import { createProgress, formatDuration } from '../../src/cli/render/progress.js';

describe('deploy progress rendering', () => {
  it('plain lines: one per step change, pod counts, no control characters', () => {
    let out = '';
    let t = 0;
    const progress = createProgress({
      out: { write: (s) => (out += s) },
      colors: colorsFor(false),
      live: false,
      now: () => t,
    });
    progress.emit({ type: 'step:start', step: 'wait', message: 'waiting for deployment/web' });
    const message =
      'Waiting for deployment "web" rollout to finish: 3 out of 5 new replicas have been updated...';
    progress.emit({
      type: 'step:progress',
      step: 'wait',
      message,
      pods: { desired: 5, updated: 3, ready: 2 },
    });
    t = 1000;
    progress.emit({
      type: 'step:progress',
      step: 'wait',
      message,
      pods: { desired: 5, updated: 3, ready: 3 },
    });
    t = 2500;
    progress.emit({
      type: 'step:done',
      step: 'wait',
      message: 'deployment "web" successfully rolled out',
      durationMs: 2500,
    });
    progress.emit({
      type: 'step:failed',
      step: 'verify',
      code: 'DEPLOY_DIGEST_MISMATCH',
      message: 'pod web-1 runs sha256:aaa',
      durationMs: 5,
    });
    progress.stop();
    expect(out).toBe(
      [
        '… wait      waiting for deployment/web',
        `  wait      3/5 updated, 2 ready: ${message}`,
        '✓ wait      deployment "web" successfully rolled out (2.5s)',
        '✗ verify    DEPLOY_DIGEST_MISMATCH: pod web-1 runs sha256:aaa (5ms)',
        '',
      ].join('\n'),
    );
  });

  it('on a terminal: the step list is redrawn in place with the slowest pod', () => {
    let out = '';
    const progress = createProgress({
      out: { write: (s) => (out += s) },
      colors: colorsFor(false),
      live: true,
      now: () => 0,
    });
    progress.emit({ type: 'step:start', step: 'wait', message: 'waiting' });
    progress.emit({
      type: 'step:progress',
      step: 'wait',
      message: 'Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...',
      pods: { desired: 2, updated: 2, ready: 1 },
      slowest: { pod: 'web-2', node: 'k3s-agent-1', state: 'ContainerCreating', ageMs: 4200 },
    });
    progress.stop();
    expect(out).toContain('\x1b[1F\x1b[J');
    expect(out).toContain('2/2 updated, 1 ready');
    expect(out).toContain('slowest: web-2 on k3s-agent-1 ContainerCreating for 4.2s');
  });

  it('formats durations', () => {
    expect([formatDuration(850), formatDuration(1234), formatDuration(123_000)]).toEqual([
      '850ms',
      '1.2s',
      '2m03s',
    ]);
  });
});
