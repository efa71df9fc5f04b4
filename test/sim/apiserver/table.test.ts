import { describe, expect, it } from 'vitest';
import { humanDuration, summarizePod } from '../../../src/sim/apiserver/table/index.js';

describe('humanDuration (Go duration.HumanDuration)', () => {
  it.each([
    [-5_000, '<invalid>'],
    [-1_000, '0s'],
    [0, '0s'],
    [119_000, '119s'],
    [120_000, '2m'],
    [192_000, '3m12s'],
    [11 * 60_000, '11m'],
    [3 * 3_600_000 + 5 * 60_000, '3h5m'],
    [10 * 3_600_000, '10h'],
    [50 * 3_600_000, '2d2h'],
    [30 * 86_400_000, '30d'],
    [(365 * 3 + 10) * 86_400_000, '3y10d'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

const container = (state: object, extra: object = {}) => ({
  name: 'app',
  ready: false,
  restartCount: 0,
  state,
  ...extra,
});

describe('pod STATUS column (k/k printPod)', () => {
  it.each([
    ['pending without statuses', { phase: 'Pending' }, {}, '0/1', 'Pending'],
    [
      'waiting reason',
      { phase: 'Pending', containerStatuses: [container({ waiting: { reason: 'ImagePullBackOff' } })] },
      {},
      '0/1',
      'ImagePullBackOff',
    ],
    [
      'running and ready',
      { phase: 'Running', containerStatuses: [container({ running: {} }, { ready: true })] },
      {},
      '1/1',
      'Running',
    ],
    [
      'completed',
      {
        phase: 'Succeeded',
        containerStatuses: [container({ terminated: { reason: 'Completed', exitCode: 0 } })],
      },
      {},
      '0/1',
      'Completed',
    ],
    [
      'exit code without reason',
      { phase: 'Failed', containerStatuses: [container({ terminated: { exitCode: 2 } })] },
      {},
      '0/1',
      'ExitCode:2',
    ],
    ['evicted reason', { phase: 'Failed', reason: 'Evicted' }, {}, '0/1', 'Evicted'],
    [
      'init container waiting',
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'init', restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } },
        ],
      },
      { initContainers: [{ name: 'init' }] },
      '0/1',
      'Init:ErrImagePull',
    ],
    [
      'init container still running',
      {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'init', restartCount: 0, state: { running: {} } }],
      },
      { initContainers: [{ name: 'init' }] },
      '0/1',
      'Init:0/1',
    ],
  ])('%s', (_name, status, specExtra, ready, text) => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'app' }], ...specExtra }, status };
    const summary = summarizePod(pod);
    expect([summary.ready, summary.status]).toEqual([ready, text]);
  });

  it('shows Terminating for a pod being deleted and counts restarts', () => {
    const pod = {
      metadata: { name: 'p', deletionTimestamp: '2025-01-01T00:00:00Z' },
      spec: { containers: [{ name: 'app' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          container(
            { running: {} },
            {
              ready: true,
              restartCount: 4,
              lastState: { terminated: { finishedAt: '2025-01-01T00:00:00Z' } },
            },
          ),
        ],
      },
    };
    expect(summarizePod(pod)).toEqual({
      ready: '1/1',
      status: 'Terminating',
      restarts: 4,
      lastRestart: '2025-01-01T00:00:00Z',
    });
  });
});
