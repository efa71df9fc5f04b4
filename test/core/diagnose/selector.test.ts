import { describe, expect, it } from 'vitest';
import { selectorOf } from '../../../src/core/diagnose/index.js';

describe('selectorOf', () => {
  it('joins matchLabels into the label selector list calls take', () => {
    expect(selectorOf({ spec: { selector: { matchLabels: { app: 'web', tier: 'front' } } } })).toBe(
      'app=web,tier=front',
    );
  });

  it('is undefined without matchLabels, so a list is never narrowed to nothing or widened by ""', () => {
    expect(selectorOf({ spec: { selector: { matchLabels: {} } } })).toBeUndefined();
    expect(selectorOf({ spec: {} })).toBeUndefined();
    expect(selectorOf({})).toBeUndefined();
  });
});
