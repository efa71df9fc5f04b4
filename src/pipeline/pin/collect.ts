import { type ImageRef, parseImageRef } from '../../core/image-ref/index.js';
import { scanManifest } from '../../core/manifest/index.js';
import { isKubefreshError } from '../../errors/index.js';
import type { ImageOccurrence, PinFailure, PinInput, PinState } from './types.js';

/** An image field with its parsed reference. */
export interface CollectedImage extends ImageOccurrence {
  readonly ref: ImageRef;
}

export interface Collected {
  readonly images: CollectedImage[];
  /** YAML problems and invalid references, in input order. */
  readonly failures: PinFailure[];
}

/**
 * Every container image field of every input, each place once (an anchor reached through several
 * aliases is one place), with YAML problems and unparsable references as failures. Empty and
 * non-string `image` fields are not images and are skipped.
 */
export function collectImages(inputs: readonly PinInput[]): Collected {
  const images: CollectedImage[] = [];
  const failures: PinFailure[] = [];
  for (const input of inputs) {
    const scan = scanManifest(input.text);
    for (const problem of scan.problems) {
      failures.push({
        source: input.source,
        line: problem.line,
        column: problem.column,
        image: undefined,
        class: 'invalid yaml',
        code: problem.code,
        message: `cannot read YAML: ${problem.message}`,
        hint: 'fix the YAML (kubefresh lint shows every problem); images in this document were not pinned',
      });
    }
    const seen = new Set<string>();
    for (const workload of scan.workloads) {
      for (const container of workload.containers) {
        const field = container.image;
        if (field?.value === undefined || field.value === '') continue;
        const place = `${field.line}:${field.column}`;
        if (seen.has(place)) continue;
        seen.add(place);
        const base = {
          source: input.source,
          line: field.line,
          column: field.column,
          image: field.value,
          workload: `${workload.kind}/${workload.name ?? '(unnamed)'}`,
          container: container.name,
        };
        try {
          const ref = parseImageRef(field.value);
          images.push({ ...base, ref, state: stateOf(ref) });
        } catch (err) {
          if (!isKubefreshError(err)) throw err;
          failures.push({
            ...base,
            class: 'invalid reference',
            code: err.code,
            message: err.message,
            ...(err.hint ? { hint: err.hint } : {}),
          });
        }
      }
    }
  }
  return { images, failures };
}

function stateOf(ref: ImageRef): PinState {
  if (ref.digest === undefined) return 'unpinned';
  return ref.tag === undefined ? 'digest-only' : 'pinned';
}

/** Orders failures by input, then line, then column (inputs keep the order they were given in). */
export function sortFailures(failures: PinFailure[], inputs: readonly PinInput[]): PinFailure[] {
  const order = new Map(inputs.map((input, i) => [input.source, i]));
  return failures.sort(
    (a, b) =>
      (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0) || a.line - b.line || a.column - b.column,
  );
}
