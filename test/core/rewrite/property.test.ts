import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanManifest } from '../../../src/core/manifest/index.js';
import { rewriteScalars } from '../../../src/core/rewrite/index.js';

const DIGEST = `@sha256:${'a'.repeat(64)}`;
const IMAGES = [
  'nginx',
  'nginx:1.25',
  'ghcr.io/acme/api:main',
  'localhost:5000/app:v1',
  'registry.example.com:443/a/b/c:1.0-rc_1',
];
const STYLES = ['plain', 'single', 'double', 'flow', 'flow-json', 'anchor', 'alias', 'tagged'] as const;

interface Container {
  readonly image: string;
  readonly style: (typeof STYLES)[number];
  readonly comment: boolean;
}

const container = fc.record({
  image: fc.constantFrom(...IMAGES),
  style: fc.constantFrom(...STYLES),
  comment: fc.boolean(),
});

/** A Deployment whose containers write their images in every style the rewriter must keep. */
function manifest(containers: readonly Container[], eol: string, docs: number): string {
  const one = (d: number): string => {
    const lines = [
      `# document ${d}`,
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: web-${d}, labels: {app: "web"}}`,
      '',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
    ];
    let anchored = false;
    containers.forEach((c, i) => {
      const comment = c.comment ? '   # keep me' : '';
      switch (c.style) {
        case 'plain':
          lines.push(`      - name: c${i}`, `        image: ${c.image}${comment}`);
          break;
        case 'single':
          lines.push(`      - name: c${i}`, `        image: '${c.image}'${comment}`);
          break;
        case 'double':
          lines.push(`      - image: "${c.image}"${comment}`, `        name: c${i}`);
          break;
        case 'flow':
          lines.push(`      - {name: c${i}, image: ${c.image}, imagePullPolicy: Always}${comment}`);
          break;
        case 'flow-json':
          lines.push(`      - {"name": "c${i}", "image": "${c.image}"}${comment}`);
          break;
        case 'tagged':
          lines.push(`      - name: c${i}`, `        image: !!str ${c.image}${comment}`);
          break;
        case 'anchor':
        case 'alias':
          if (!anchored) {
            lines.push(`      - name: c${i}`, `        image: &img${d} ${c.image}${comment}`);
            anchored = true;
          } else {
            lines.push(`      - name: c${i}`, `        image: *img${d}${comment}`);
          }
          break;
      }
    });
    return lines.join(eol) + eol;
  };
  return Array.from({ length: docs }, (_, d) => one(d)).join(`---${eol}`);
}

function pinAll(text: string): { text: string; statuses: string[] } {
  const edits = scanManifest(text).workloads.flatMap((w) =>
    w.containers.flatMap((c) => {
      const value = c.image?.value;
      if (value === undefined) return [];
      const replacement = value.includes('@') ? value : `${value}${DIGEST}`;
      return [{ line: c.image!.line, column: c.image!.column, expected: value, replacement }];
    }),
  );
  const result = rewriteScalars(text, edits);
  return { text: result.text, statuses: result.results.map((r) => r.status) };
}

describe('pinning through the scanner and the rewriter', () => {
  const cases = fc.record({
    containers: fc.array(container, { minLength: 1, maxLength: 5 }),
    eol: fc.constantFrom('\n', '\r\n'),
    docs: fc.integer({ min: 1, max: 3 }),
  });

  it('changes nothing but the image values, pins every one, and is idempotent', () => {
    fc.assert(
      fc.property(cases, ({ containers, eol, docs }) => {
        const input = manifest(containers, eol, docs);
        const once = pinAll(input);
        expect(once.statuses.every((s) => s === 'applied')).toBe(true);
        // Everything outside the spliced digests is byte for byte the input.
        expect(once.text.replaceAll(DIGEST, '')).toBe(input);
        // Every image now reads as its pinned self.
        for (const w of scanManifest(once.text).workloads) {
          for (const c of w.containers) expect(c.image?.value).toMatch(/@sha256:a{64}$/);
        }
        const twice = pinAll(once.text);
        expect(twice.text).toBe(once.text);
        expect(twice.statuses.every((s) => s === 'unchanged')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
