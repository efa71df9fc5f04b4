import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/sim/store/index.js';
import { type SimApi, startSimApi } from './fixtures.js';

let sim: SimApi;
beforeAll(async () => {
  sim = await startSimApi();
  // Enough text for many write chunks, with multi-byte characters so bytes ≠ characters.
  for (let i = 0; i < 300; i++) {
    sim.store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${String(i).padStart(3, '0')}`, namespace: i % 2 ? 'default' : 'kube-system' },
      data: { text: `설정 ${i} ${'x'.repeat(500)} ✓` },
    });
  }
});
afterAll(() => sim.api.close());

function expectedList(items: KubeObject[], resourceVersion: string): string {
  return JSON.stringify({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion }, items });
}

describe('list bodies joined from cached object JSON', () => {
  it('are byte for byte the stringified list, with a Content-Length that counts bytes', async () => {
    for (let round = 0; round < 2; round++) {
      const res = await fetch(`${sim.api.url}/api/v1/configmaps`);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
      const items = sim.store
        .list('configmaps')
        .items.sort((a, b) =>
          `${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}`
            ? -1
            : 1,
        );
      expect(bytes.toString('utf8')).toBe(expectedList(items, sim.store.resourceVersion()));
    }
  });

  it('show a new version of an object after it is updated', async () => {
    const current = sim.store.get('configmaps', 'default', 'cm-001')!;
    sim.store.update('configmaps', {
      ...current,
      metadata: { ...current.metadata },
      data: { text: 'new ✓' },
    });
    const body = (await (
      await fetch(`${sim.api.url}/api/v1/namespaces/default/configmaps?limit=1`)
    ).json()) as {
      items: KubeObject[];
    };
    expect(body.items[0]).toMatchObject({ metadata: { name: 'cm-001' }, data: { text: 'new ✓' } });
  });

  it('stream watch events as the stringified event', async () => {
    const controller = new AbortController();
    const res = await fetch(
      `${sim.api.url}/api/v1/namespaces/default/configmaps?watch=1&labelSelector=w%3D1`,
      {
        signal: controller.signal,
      },
    );
    const reader = res.body!.getReader();
    const created = sim.store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'watched', namespace: 'default', labels: { w: '1' } },
      data: { text: 'é' },
    });
    let text = '';
    while (!text.includes('\n')) text += Buffer.from((await reader.read()).value!).toString('utf8');
    controller.abort();
    expect(text).toBe(`${JSON.stringify({ type: 'ADDED', object: created })}\n`);
  });
});
