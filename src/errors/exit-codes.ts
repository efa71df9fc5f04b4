import { isKubefreshError } from './kubefresh-error.js';

/**
 * The exit codes of every kubefresh command. README.md documents this table; keep them in step.
 * Scripts rely on these numbers, so they never change meaning.
 */
export const EXIT_CODES = {
  /** The command did what was asked and found nothing at or above `--fail-on`. */
  OK: 0,
  /** Findings at or above `--fail-on` (lint, doctor, pin --check). */
  FINDINGS: 1,
  /** The command line was wrong: unknown flag, bad value, missing argument. */
  USAGE: 2,
  /** Something failed while running: unreadable input, registry or cluster errors. */
  RUNTIME: 3,
  /** deploy: the new revision failed and kubefresh rolled back to the previous one (verified). */
  ROLLED_BACK: 4,
  /** deploy: the new revision failed and the rollback failed or was not attempted. */
  ROLLBACK_FAILED: 5,
  /**
   * deploy: another change (a second deploy, `kubectl set image`, an undo) replaced this deploy's
   * revision while it rolled out; kubefresh neither verified nor undid someone else's revision.
   */
  SUPERSEDED: 6,
  /** Interrupted by the user (Ctrl-C); nothing further was changed. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Usage errors exit 2; every other error is a runtime failure (3). */
export function exitCodeForError(err: unknown): ExitCode {
  if (isKubefreshError(err) && (err.phase === 'USAGE' || err.phase === 'CONFIG')) return EXIT_CODES.USAGE;
  return EXIT_CODES.RUNTIME;
}
