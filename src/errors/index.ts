/**
 * Errors as data.
 *
 * Every failure kubefresh reports is a {@link KubefreshError}: a stable `code` (a phase prefix such
 * as `REF_`, `MANIFEST_`, `REGISTRY_`, `KUBE_`, `ROLLOUT_`, `USAGE_` and a reason), a message that
 * quotes the input it is about, and a `hint` that says what to do next. The library throws them; the
 * CLI renders them in exactly one place (`cli/render/error.ts`) and maps them to exit codes
 * (`exit-codes.ts`). Codes are part of the interface: scripts may match on them, so never rename one.
 */

export { EXIT_CODES, type ExitCode, exitCodeForError } from './exit-codes.js';
export { type ErrorCode, type ErrorPhase, isKubefreshError, KubefreshError } from './kubefresh-error.js';
export { redact, redactUrl } from './redact.js';
