import { InvalidArgumentError } from 'commander';

/** `--max-file-size <MiB>` (lint, pin): a positive number of MiB → bytes. */
export function parseMiB(value: string): number {
  const mib = Number(value);
  if (!Number.isFinite(mib) || mib <= 0)
    throw new InvalidArgumentError(`expected a positive number of MiB, got "${value}"`);
  return Math.floor(mib * 1024 * 1024);
}
