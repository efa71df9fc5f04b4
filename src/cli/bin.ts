#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { processIO } from './io.js';
import { runCli } from './main.js';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  // The first Ctrl-C asks the running command to stop waiting; a second one ends the process.
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  controller.abort(new Error('interrupted'));
});

const code = await runCli(
  process.argv.slice(2),
  processIO(controller.signal, fileURLToPath(import.meta.url)),
);
process.exitCode = code;
