// Bundles the CLI's own modules (dependencies stay in node_modules) after `tsc` has built the
// library. A one-shot command then loads a handful of files instead of some forty: Node's ESM
// loader costs about half a millisecond per module, which is 15–20 ms of every `kubefresh` run.
// Verbs stay lazily loaded (each is a chunk of its own).
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = 'dist/cli';
// Chunk names carry content hashes: clear the last build's so none linger.
rmSync(`${outdir}/chunks`, { recursive: true, force: true });
await build({
  entryPoints: { bin: 'src/cli/bin.ts' },
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
chmodSync(`${outdir}/bin.js`, 0o755);
