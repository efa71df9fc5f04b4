import { collectImages, sortFailures } from './collect.js';
import type { ImageOccurrence, PinFailure, PinInput } from './types.js';

export interface CheckResult {
  /** Image fields without a digest, in input order. */
  readonly unpinned: readonly ImageOccurrence[];
  /** Image fields with a digest. */
  readonly pinned: number;
  /** YAML problems and invalid references: places the check could not judge. */
  readonly failures: readonly PinFailure[];
}

/** `pin --check`: which images are not pinned to a digest. Offline; asks no registry. */
export function checkPinned(inputs: readonly PinInput[]): CheckResult {
  const { images, failures } = collectImages(inputs);
  const unpinned = images
    .filter((i) => i.state === 'unpinned')
    .map(({ ref: _ref, ...occurrence }) => occurrence);
  return { unpinned, pinned: images.length - unpinned.length, failures: sortFailures(failures, inputs) };
}
