import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

/** Which layers each layer may import (DESIGN.md: dependencies point down the list). */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  core: ['errors'],
  ports: ['core', 'errors'],
  adapters: ['ports', 'core', 'errors'],
  pipeline: ['ports', 'core', 'errors'],
  sim: ['adapters', 'ports', 'core', 'errors'],
  testing: ['sim', 'adapters', 'ports', 'core', 'errors'],
  cli: ['pipeline', 'adapters', 'sim', 'ports', 'core', 'errors'],
};

describe('layering', () => {
  const files = sourceFiles(SRC);

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(Object.keys(ALLOWED))('%s imports only the layers below it', (layer) => {
    const offences: string[] = [];
    for (const file of files.filter((f) => relative(SRC, f).startsWith(`${layer}/`))) {
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) {
          if (layer === 'core' && (spec.startsWith('node:') || spec.startsWith('@kubernetes/'))) {
            offences.push(`${relative(SRC, file)} imports ${spec}`);
          }
          continue;
        }
        const target = relative(SRC, join(file, '..', spec)).split('/')[0]!;
        if (target === layer || target.endsWith('.js') || target.endsWith('.ts')) continue;
        if (!ALLOWED[layer]!.includes(target)) offences.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
