import { describe, expect, it } from 'vitest';
import { safeEncode } from '../../../src/sim/controllers/hash.js';
import { computePodTemplateHash, templatesEqualIgnoringHash } from '../../../src/sim/controllers/index.js';

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
};

describe('computePodTemplateHash', () => {
  it('renders the FNV-32a sum with the safe-encode alphabet', () => {
    // apimachinery SafeEncodeString maps each byte by value mod 27 into this alphabet.
    expect(safeEncode('0123456789')).toBe('456789bcdf');
    expect(computePodTemplateHash(template)).toMatch(/^[456789bcdf]{1,10}$/);
  });

  it('is stable across key order and changes with the template or collision count', () => {
    const reordered = { spec: template.spec, metadata: template.metadata };
    expect(computePodTemplateHash(reordered)).toBe(computePodTemplateHash(template));
    const other = structuredClone(template);
    other.spec.containers[0]!.image = 'nginx:1.26';
    expect(computePodTemplateHash(other)).not.toBe(computePodTemplateHash(template));
    expect(computePodTemplateHash(template, 1)).not.toBe(computePodTemplateHash(template));
    expect(computePodTemplateHash(template, 1)).not.toBe(computePodTemplateHash(template, 2));
  });
});

describe('templatesEqualIgnoringHash', () => {
  it('ignores only the pod-template-hash label', () => {
    const hashed = structuredClone(template) as typeof template & {
      metadata: { labels: Record<string, string> };
    };
    hashed.metadata.labels['pod-template-hash'] = '7d4b9c8f5';
    expect(templatesEqualIgnoringHash(template, hashed)).toBe(true);
    const relabeled = structuredClone(hashed);
    relabeled.metadata.labels.tier = 'front';
    expect(templatesEqualIgnoringHash(template, relabeled)).toBe(false);
  });
});
