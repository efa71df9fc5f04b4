import { describe, expect, it } from 'vitest';
import { rewriteScalars, type ScalarEdit } from '../../../src/core/rewrite/index.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function edit(line: number, column: number, expected: string, replacement: string): ScalarEdit {
  return { line, column, expected, replacement };
}

describe('rewriteScalars', () => {
  it.each([
    { style: 'plain', text: '    image: app:v1  # c\n', column: 12, out: `    image: app:v1@${D1}  # c\n` },
    { style: 'single', text: "    image: 'app:v1'\n", column: 12, out: `    image: 'app:v1@${D1}'\n` },
    { style: 'double', text: '    image: "app:v1"\n', column: 12, out: `    image: "app:v1@${D1}"\n` },
  ])('appends a digest to a $style scalar and keeps its style', ({ style, text, column, out }) => {
    const result = rewriteScalars(text, [edit(1, column, 'app:v1', `app:v1@${D1}`)]);
    expect(result.text).toBe(out);
    expect(result.results).toMatchObject([{ status: 'applied', style }]);
  });

  it('replaces an existing digest and nothing else', () => {
    const text = `x: [{image: 'app:v1@${D1}'}]\r\n# end\r\n`;
    const result = rewriteScalars(text, [edit(1, 13, `app:v1@${D1}`, `app:v1@${D2}`)]);
    expect(result.text).toBe(`x: [{image: 'app:v1@${D2}'}]\r\n# end\r\n`);
  });

  it('keeps escapes written in the unchanged part of a double-quoted value', () => {
    const text = 'image: "\\x61pp:v1"\n';
    const result = rewriteScalars(text, [edit(1, 8, 'app:v1', `app:v1@${D1}`)]);
    expect(result.text).toBe(`image: "\\x61pp:v1@${D1}"\n`);
  });

  it('returns the very same string when every replacement equals the value', () => {
    const text = 'image: app:v1\n';
    const result = rewriteScalars(text, [edit(1, 8, 'app:v1', 'app:v1')]);
    expect(result.text).toBe(text);
    expect(result.results[0]!.status).toBe('unchanged');
  });

  it('rewrites a scalar reached twice (anchor and alias) once', () => {
    const text = 'a: &img app:v1\nb: *img\n';
    const same = edit(1, 9, 'app:v1', `app:v1@${D1}`);
    const result = rewriteScalars(text, [same, same]);
    expect(result.text).toBe(`a: &img app:v1@${D1}\nb: *img\n`);
    expect(result.results.map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('refuses two different values for one scalar', () => {
    const text = 'a: app:v1\n';
    const result = rewriteScalars(text, [
      edit(1, 4, 'app:v1', `app:v1@${D1}`),
      edit(1, 4, 'app:v1', `app:v1@${D2}`),
    ]);
    expect(result.text).toBe(text);
    expect(result.results.map((r) => r.reason)).toEqual(['conflict', 'conflict']);
  });

  it('refuses when the text there is not the value the reader saw (a folded plain scalar)', () => {
    const text = 'image: app\n  :v1\nname: x\n';
    const result = rewriteScalars(text, [edit(1, 8, 'app :v1', `app:v1@${D1}`)]);
    expect(result.text).toBe(text);
    expect(result.results[0]).toMatchObject({ status: 'rejected', reason: 'value-mismatch' });
  });

  it('refuses a value a plain scalar cannot hold without changing meaning', () => {
    const text = 'image: app:v1\n';
    const result = rewriteScalars(text, [edit(1, 8, 'app:v1', 'app:v1 # not a comment')]);
    expect(result.results[0]).toMatchObject({ status: 'rejected', reason: 'unencodable' });
    expect(result.text).toBe(text);
  });

  it('escapes quotes when a quoted value needs it', () => {
    expect(rewriteScalars("x: 'a'\n", [edit(1, 4, 'a', "a'b")]).text).toBe("x: 'a''b'\n");
    expect(rewriteScalars('x: "a"\n', [edit(1, 4, 'a', 'a"\\')]).text).toBe('x: "a\\"\\\\"\n');
  });

  it('applies several edits in one pass, in any order given', () => {
    const text = 'a: x:1\nb: "y:2"\nc: z:3\n';
    const result = rewriteScalars(text, [
      edit(3, 4, 'z:3', 'z:3@D'),
      edit(1, 4, 'x:1', 'x:1@D'),
      edit(2, 4, 'y:2', 'y:2@D'),
    ]);
    expect(result.text).toBe('a: x:1@D\nb: "y:2@D"\nc: z:3@D\n');
  });
});
