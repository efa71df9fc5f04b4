import { describe, expect, it } from 'vitest';
import { lineStarts, offsetAt, scalarAt } from '../../../src/core/rewrite/index.js';

describe('scalarAt', () => {
  it.each([
    {
      name: 'plain to line end',
      text: 'image: nginx:1.25\n',
      at: 7,
      want: { value: 'nginx:1.25', style: 'plain', end: 17 },
    },
    {
      name: 'plain before a comment',
      text: 'image: nginx:1.25   # pinned later\n',
      at: 7,
      want: { value: 'nginx:1.25', end: 17 },
    },
    { name: 'plain keeps a # without a space', text: 'x: a#b\n', at: 3, want: { value: 'a#b', end: 6 } },
    { name: 'plain before CR', text: 'image: app:v1\r\n', at: 7, want: { value: 'app:v1', end: 13 } },
    {
      name: 'plain in a flow map',
      text: '{image: app:v1, name: a}',
      at: 8,
      want: { value: 'app:v1', end: 14 },
    },
    {
      name: 'plain last in a flow map',
      text: '{name: a, image: app:v1}',
      at: 17,
      want: { value: 'app:v1', end: 23 },
    },
    {
      name: 'single quoted with an escaped quote',
      text: "x: 'it''s'\n",
      at: 3,
      want: { value: "it's", style: 'single', end: 10 },
    },
    {
      name: 'double quoted with escapes',
      text: 'x: "a\\"b\\u0041\\\\"\n',
      at: 3,
      want: { value: 'a"bA\\', style: 'double', end: 17 },
    },
    {
      name: 'after an anchor and a tag',
      text: 'x: &img !!str app:v1\n',
      at: 3,
      want: { value: 'app:v1', start: 14, end: 20 },
    },
  ])('$name', ({ text, at, want }) => {
    expect(scalarAt(text, at)).toMatchObject(want);
  });

  it.each([
    { name: 'an alias', text: 'x: *img\n', at: 3, want: 'alias' },
    { name: 'a literal block scalar', text: 'x: |\n  app:v1\n', at: 3, want: 'block-scalar' },
    { name: 'a folded block scalar', text: 'x: >-\n  app:v1\n', at: 3, want: 'block-scalar' },
    { name: 'a quoted scalar over two lines', text: 'x: "app:\n  v1"\n', at: 3, want: 'multi-line' },
    { name: 'an unterminated quote', text: "x: 'app:v1", at: 3, want: 'unterminated' },
    { name: 'a bad escape', text: 'x: "\\xZZ"', at: 3, want: 'unterminated' },
    { name: 'a position past the end', text: 'x: y', at: 10, want: 'out-of-range' },
  ])('refuses $name', ({ text, at, want }) => {
    expect(scalarAt(text, at)).toBe(want);
  });
});

describe('offsetAt', () => {
  const text = 'a: 1\r\nbb: 2\n\nc: 3';
  const starts = lineStarts(text);

  it('maps 1-based lines and columns to offsets, CR counting as a column', () => {
    expect(starts).toEqual([0, 6, 12, 13]);
    expect(offsetAt(starts, text, 1, 4)).toBe(3);
    expect(offsetAt(starts, text, 2, 5)).toBe(10);
    expect(offsetAt(starts, text, 4, 4)).toBe(16);
  });

  it('answers -1 outside the text', () => {
    expect(offsetAt(starts, text, 5, 1)).toBe(-1);
    expect(offsetAt(starts, text, 3, 2)).toBe(-1);
    expect(offsetAt(starts, text, 1, 0)).toBe(-1);
  });
});
