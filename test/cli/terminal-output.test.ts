import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorsFor } from '../../src/cli/render/colors.js';
import { TerminalSink, writeData } from '../../src/cli/render/terminal-sink.js';
import { runKubefresh } from '../support/cli.js';

const OSC52 = '\x1b]52;c;dG91Y2ggUFdORUQ=\x07';

function capture() {
  let text = '';
  return { sink: new TerminalSink({ write: (s: string) => (text += s) }), text: () => text };
}

describe('terminal output', () => {
  it('passes kubefresh’s own colours and escapes every other control', () => {
    const out = capture();
    const c = colorsFor(true);
    out.sink.write(`${c.red('x')} ${c.bold(c.dim('y'))}\tz${OSC52}\r\u202e\u009b2J\x1b[2J\n`);
    expect(out.text()).toBe(
      `${c.red('x')} ${c.bold(c.dim('y'))}\tz\\x1b]52;c;dG91Y2ggUFdORUQ=\\x07\\r\\u202e\\u009b2J\\x1b[2J\n`,
    );
  });

  it('a JSON document keeps its value through the filter, and data bypasses it', () => {
    const value = { m: `a${OSC52}\u2028\u202e\u0085b` };
    const out = capture();
    out.sink.write(JSON.stringify(value));
    expect(JSON.parse(out.text())).toEqual(value);
    expect(out.text()).not.toMatch(/[\u2028\u202e\u0085]/);
    const data = capture();
    writeData(data.sink, 'a\r\nb\u202e');
    expect(data.text()).toBe('a\r\nb\u202e');
  });

  it('lint prints an image with OSC 52 in it escaped; -o json keeps it exact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubefresh-term-'));
    const image = `app${OSC52}:latest`;
    const file = join(dir, 'pod.yaml');
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${JSON.stringify(image)}\n`,
    );
    const text = await runKubefresh(['lint', file]);
    expect(text.stdout).toContain('app\\x1b]52;c;dG91Y2ggUFdORUQ=\\x07');
    expect(text.stdout + text.stderr).not.toMatch(/\x1b\]|\x07/);
    const json = JSON.parse((await runKubefresh(['lint', file, '-o', 'json'])).stdout);
    expect(JSON.stringify(json)).toContain(JSON.stringify(image).slice(1, -1));
  });

  it('pin FILE to stdout writes the file’s bytes (CRLF kept)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubefresh-term-'));
    const file = join(dir, 'pinned.yaml');
    // No image to resolve, so no registry is asked; the bytes must come back as they were.
    const body = 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\ndata:\r\n  k: "v\\e"\r\n';
    writeFileSync(file, body);
    const result = await runKubefresh(['pin', file]);
    expect(result.stdout).toBe(body);
  });
});
