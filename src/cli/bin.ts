#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { redact } from '../errors/index.js';
import { processIO } from './io.js';
import { runCli } from './main.js';

const controller = new AbortController();
let interrupts = 0;
// Ctrl-C, and SIGTERM as a cancelled CI job sends it: the running command stops waiting, changes
// nothing further and prints how to resume; a second signal ends the process.
const interrupt = () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  controller.abort(new Error('interrupted'));
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

// A promise that rejects before its `await` is reached must not end the process half-way through a
// transaction (Node's default for an unhandled rejection): the code that awaits it later sees the
// error. One that nothing ever awaits is a bug, said once at the end.
const unobserved = new Map<Promise<unknown>, unknown>();
process.on('unhandledRejection', (reason, promise) => unobserved.set(promise, reason));
process.on('rejectionHandled', (promise) => unobserved.delete(promise));

const code = await runCli(
  process.argv.slice(2),
  processIO(controller.signal, fileURLToPath(import.meta.url)),
);
for (const reason of unobserved.values()) {
  const message = reason instanceof Error ? reason.message : String(reason);
  process.stderr.write(
    `warning: an internal step failed unobserved (a bug in kubefresh): ${redact(message)}\n`,
  );
}
process.exitCode = code;
// Interrupted: whatever the command left behind (a registry request, stdin) is abandoned, not awaited.
if (controller.signal.aborted) process.exit(code);
