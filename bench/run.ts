/**
 * `npm run bench [NAME…]`: runs every `bench/*.bench.ts` (or those whose name contains NAME) one after
 * another. Each exports `default async function (log)` that measures, prints its figures and the
 * ratio against the peer it names, measured in the same run.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const filters = process.argv.slice(2);
const dir = import.meta.dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

if (files.length === 0) {
  process.stderr.write(`no benchmark matches ${JSON.stringify(filters)}\n`);
  process.exitCode = 2;
}
for (const file of files) {
  process.stdout.write(`\n=== ${file}\n`);
  const module = (await import(pathToFileURL(join(dir, file)).href)) as {
    default: (log: (line: string) => void) => Promise<void>;
  };
  await module.default((line) => process.stdout.write(`${line}\n`));
}
