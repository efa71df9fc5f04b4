/**
 * Shell text: every command kubefresh prints for a user to paste (doctor's fixes, deploy's resume
 * and roll-back lines, lint and pin suggestions) is built as an argv array and rendered here, once.
 *
 * Values from a cluster or a manifest (names, images, event messages, change-causes) are data: each
 * becomes exactly one word of the argv, whatever it contains. A word that needs no quoting stays
 * bare; one with control characters is written in ANSI-C quoting (`$'…'`, bash, zsh and ksh), so no
 * byte that a terminal interprets is printed; everything else goes in single quotes, where a POSIX
 * shell expands nothing.
 */
export { type Argv, comment, shellCommand, shellQuote } from './quote.js';
export { escapeControl, hasControl } from './terminal.js';
