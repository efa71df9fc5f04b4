import { describe, expect, it } from 'vitest';
import { nodeImages } from '../../../src/core/diagnose/index.js';
import { parseImageRef } from '../../../src/core/image-ref/index.js';
import { D, IMAGE, node, pod, runningStatus } from './fixtures.js';

const REPO = '127.0.0.1:5000/app';

describe('nodeImages', () => {
  const nodes = [
    node('node-1', 'amd64', [{ names: [`${REPO}@${D('a')}`, IMAGE] }]),
    node('node-2', 'amd64', [{ names: [`${REPO}@${D('b')}`, IMAGE, `${REPO}:v2`] }]),
    node(
      'node-3',
      'amd64',
      Array.from({ length: 50 }, (_, i) => ({ names: [`other/img${i}:1`] })),
    ),
  ];
  const pods = [
    pod('web-1', 'web-abc', 'node-1', runningStatus(`${REPO}@${D('a')}`)),
    pod('web-2', 'web-abc', 'node-2', runningStatus(`${REPO}@${D('b')}`)),
  ];

  it('a tag: per node the cached digests and the pods, divergence, and nodes at the 50-image cap', () => {
    const [view, ...rest] = nodeImages(parseImageRef(IMAGE), nodes, pods);
    expect(rest).toEqual([]);
    expect(view).toEqual({
      reference: IMAGE,
      rows: [
        {
          node: 'node-1',
          cached: [D('a')],
          capped: false,
          pods: [{ namespace: 'default', pod: 'web-1', digest: D('a') }],
        },
        {
          node: 'node-2',
          cached: [D('b')],
          capped: false,
          pods: [{ namespace: 'default', pod: 'web-2', digest: D('b') }],
        },
        { node: 'node-3', cached: [], capped: true, pods: [] },
      ],
      digests: [D('a'), D('b')],
      diverged: true,
    });
  });

  it('a repository: every tag seen', () => {
    expect(nodeImages(parseImageRef(REPO), nodes, pods).map((v) => v.reference)).toEqual([
      IMAGE,
      `${REPO}:v2`,
    ]);
  });
});
