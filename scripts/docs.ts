/**
 * `npm run docs`: regenerates the documentation that is generated from code (docs/rules.md from the
 * lint rule table). Writes through a temporary file and a rename, so a failed run leaves the old file.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRulesMarkdown } from '../src/core/lint/index.js';

const root = join(import.meta.dirname, '..');
const target = join(root, 'docs', 'rules.md');
const temporary = `${target}.${process.pid}.tmp`;
writeFileSync(temporary, renderRulesMarkdown());
renameSync(temporary, target);
process.stdout.write('wrote docs/rules.md\n');
