/** Writes docs/doctor-codes.md from the doctor code table: `npx tsx scripts/doctor-codes.ts`. */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { doctorCodesMarkdown } from '../src/core/diagnose/index.js';

const target = join(import.meta.dirname, '..', 'docs', 'doctor-codes.md');
await writeFile(`${target}.tmp`, doctorCodesMarkdown());
await rename(`${target}.tmp`, target);
console.log(`wrote ${target}`);
