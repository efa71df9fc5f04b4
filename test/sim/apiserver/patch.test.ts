import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../../../src/sim/apiserver/patch/json-patch.js';
import { applyMergePatch } from '../../../src/sim/apiserver/patch/merge-patch.js';
import { patchMetaFor } from '../../../src/sim/apiserver/patch/patch-meta.js';
import { applyStrategicMergePatch } from '../../../src/sim/apiserver/patch/strategic-merge-patch.js';

const deployment = () => ({
  kind: 'Deployment',
  metadata: { name: 'web', finalizers: ['a'] },
  spec: {
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
    template: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:v1',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }],
          },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'app' } }],
        tolerations: [{ key: 'x', operator: 'Exists' }],
      },
    },
  },
});

const smp = (patch: unknown) =>
  applyStrategicMergePatch(deployment(), patch, patchMetaFor('Deployment')) as ReturnType<typeof deployment>;

describe('strategic merge patch', () => {
  it('merges containers by name, as kubectl set image sends it', () => {
    const out = smp({
      spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'proxy:2' }] } } },
    });
    expect(out.spec.template.spec.containers.map((c) => `${c.name}=${c.image}`)).toEqual([
      'app=app:v1',
      'sidecar=proxy:2',
    ]);
    expect(out.spec.template.spec.containers[0]!.env).toHaveLength(2);
  });

  it('merges env by name, ports by containerPort and volumeMounts by mountPath', () => {
    const out = smp({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'app',
                env: [
                  { name: 'B', value: '3' },
                  { name: 'C', value: '4' },
                ],
                ports: [{ containerPort: 80, name: 'http' }],
                volumeMounts: [{ mountPath: '/etc/app', readOnly: true }],
              },
            ],
          },
        },
      },
    });
    const app = out.spec.template.spec.containers[0]!;
    expect(app.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
    expect(app.ports).toEqual([{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
    expect(app.volumeMounts).toEqual([{ name: 'cfg', mountPath: '/etc/app', readOnly: true }]);
  });

  it('replaces lists without a merge key (tolerations) whole', () => {
    const out = smp({ spec: { template: { spec: { tolerations: [{ key: 'y', operator: 'Exists' }] } } } });
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'y', operator: 'Exists' }]);
  });

  it('honours $patch: delete in list elements and maps, and $patch: replace', () => {
    const out = smp({
      spec: {
        strategy: { rollingUpdate: { $patch: 'delete' } },
        template: {
          spec: {
            containers: [{ name: 'sidecar', $patch: 'delete' }],
            volumes: [{ $patch: 'replace' }, { name: 'new', emptyDir: {} }],
          },
        },
      },
    });
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['app']);
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'new', emptyDir: {} }]);
    expect(out.spec.strategy).toEqual({ type: 'RollingUpdate' });
  });

  it('honours $retainKeys, $setElementOrder and $deleteFromPrimitiveList as kubectl apply sends them', () => {
    const out = smp({
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['b'] },
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
            containers: [{ name: 'app', image: 'app:v2' }],
          },
        },
      },
    });
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    expect(out.spec.template.spec.containers.map((c) => `${c.name}=${c.image}`)).toEqual([
      'sidecar=proxy:1',
      'app=app:v2',
    ]);
    expect(out.metadata.finalizers).toEqual(['b']);
  });

  it('deletes keys set to null and rejects list elements without their merge key', () => {
    expect(
      smp({ spec: { template: { spec: { volumes: null } } } }).spec.template.spec.volumes,
    ).toBeUndefined();
    expect(() => smp({ spec: { template: { spec: { containers: [{ image: 'x' }] } } } })).toThrow(
      'does not contain declared merge key: name',
    );
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  it('merges maps, deletes on null and replaces lists', () => {
    const out = applyMergePatch(deployment(), {
      metadata: { labels: { a: 'b' } },
      spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }], tolerations: null } } },
    }) as ReturnType<typeof deployment> & { metadata: { labels: unknown } };
    expect(out.metadata).toEqual({ name: 'web', finalizers: ['a'], labels: { a: 'b' } });
    expect(out.spec.template.spec.containers).toEqual([{ name: 'only', image: 'x' }]);
    expect(out.spec.template.spec.tolerations).toBeUndefined();
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies add, replace, remove, copy, move and test', () => {
    const out = applyJsonPatch({ a: { b: [1, 2] }, c: 'x' }, [
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'replace', path: '/c', value: 'y' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e~1f' },
      { op: 'remove', path: '/a/b/0' },
      { op: 'test', path: '/c', value: 'y' },
    ]);
    expect(out).toEqual({ a: { b: [2, 3] }, c: 'y', 'e/f': 'y' });
  });

  it('fails on a missing path or a failed test', () => {
    expect(() => applyJsonPatch({}, [{ op: 'replace', path: '/nope', value: 1 }])).toThrow(
      'doc is missing path: "/nope"',
    );
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(
      'testing value /a failed',
    );
  });
});
