import type { ImageRef } from '../../core/image-ref/index.js';
import { createLock, type LockEntry, lockKey, lookupLock } from '../../core/lock/index.js';
import { rewriteScalars, type ScalarEdit } from '../../core/rewrite/index.js';
import { KubefreshError } from '../../errors/index.js';
import type { ResolvedDescriptor } from '../../ports/registry.js';
import { classifyLookupError } from './classify.js';
import { type CollectedImage, collectImages, sortFailures } from './collect.js';
import type { PinChange, PinFailure, PinInput, PinnedFile, PinOptions, PinResult } from './types.js';

const DEFAULT_CONCURRENCY = 32;

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Pins every container image of `inputs` to a digest: `repo:tag` becomes `repo:tag@sha256:…`
 * (the digest of what the tag names: the index for multi-platform images), spliced into the text
 * in place. Each distinct tag is resolved once and all lookups run concurrently (HEAD requests).
 * Images already pinned are checked to exist by digest, not re-resolved, unless `refresh`.
 * With `fromLock` nothing asks a registry. Writes nothing: the caller decides, from `failures`,
 * whether the pinned texts may be written (by default only when there are none).
 */
export async function pinManifests(
  inputs: readonly PinInput[],
  options: PinOptions = {},
): Promise<PinResult> {
  if (options.registry === undefined && options.fromLock === undefined) {
    throw new KubefreshError('INTERNAL_PIN_OPTIONS', 'pinManifests needs a registry or a lock to pin from');
  }
  const { images, failures } = collectImages(inputs);
  const now = options.now ?? Date.now;
  const limit = limiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  const resolves = new Map<string, Promise<Outcome<LockEntry>>>();
  const verifies = new Map<string, Promise<Outcome<ResolvedDescriptor>>>();
  const targets = new Map<CollectedImage, Promise<Outcome<string> | undefined>>();

  const resolveTag = (ref: ImageRef, key: string, tag: string): Promise<Outcome<LockEntry>> => {
    let pending = resolves.get(key);
    if (!pending) {
      const registry = options.registry!;
      pending = settle(
        limit(async () => {
          const found = await registry.resolve(ref, tag);
          return {
            digest: found.digest,
            mediaType: found.mediaType,
            resolvedAt: new Date(now()).toISOString(),
          };
        }),
      );
      resolves.set(key, pending);
    }
    return pending;
  };
  const verifyDigest = (ref: ImageRef, digest: string): Promise<Outcome<ResolvedDescriptor>> => {
    const key = `${ref.name()}@${digest}`;
    let pending = verifies.get(key);
    if (!pending) {
      const registry = options.registry!;
      pending = settle(limit(() => registry.resolve(ref, digest)));
      verifies.set(key, pending);
    }
    return pending;
  };

  for (const image of images) {
    const { ref } = image;
    const wantsTag = image.state === 'unpinned' || (image.state === 'pinned' && options.refresh === true);
    if (options.fromLock !== undefined) {
      if (!wantsTag) continue; // offline: a written digest is trusted as it is
      const entry = lookupLock(options.fromLock, ref);
      if (entry !== undefined) targets.set(image, Promise.resolve({ ok: true, value: entry.digest }));
      else if (image.state === 'unpinned') failures.push(notInLock(image));
      continue;
    }
    const key = lockKey(ref);
    const tag = ref.effectiveTag();
    if (wantsTag && key !== undefined && tag !== undefined) {
      targets.set(
        image,
        resolveTag(ref, key, tag).then((o) => (o.ok ? { ok: true, value: o.value.digest } : o)),
      );
    } else if (ref.digest !== undefined) {
      const digest = ref.digest;
      targets.set(
        image,
        verifyDigest(ref, digest).then((o) => {
          if (!o.ok) return o;
          if (o.value.digest !== digest) {
            return {
              ok: false,
              error: new KubefreshError(
                'REGISTRY_PROTOCOL',
                `registry ${ref.registry} answered ${o.value.digest} when asked for ${digest} in ${ref.name()}`,
              ),
            };
          }
          return undefined; // exists: nothing to change
        }),
      );
    }
  }

  const edits = new Map<string, Array<{ edit: ScalarEdit; image: CollectedImage }>>();
  for (const [image, pending] of targets) {
    const outcome = await pending;
    if (outcome === undefined) continue;
    if (!outcome.ok) {
      failures.push(lookupFailure(image, outcome.error));
      continue;
    }
    let replacement: string;
    try {
      replacement = image.ref.withDigest(outcome.value).original;
    } catch (err) {
      failures.push(lookupFailure(image, err));
      continue;
    }
    if (replacement === image.image) continue;
    const list = edits.get(image.source) ?? [];
    list.push({
      edit: { line: image.line, column: image.column, expected: image.image, replacement },
      image,
    });
    edits.set(image.source, list);
  }

  const files: PinnedFile[] = inputs.map((input) => {
    const planned = edits.get(input.source) ?? [];
    if (planned.length === 0)
      return { source: input.source, original: input.text, text: input.text, changes: [] };
    const { text, results } = rewriteScalars(
      input.text,
      planned.map((p) => p.edit),
    );
    const changes: PinChange[] = [];
    results.forEach((result, i) => {
      const { image } = planned[i]!;
      if (result.status === 'applied') {
        changes.push({
          source: input.source,
          line: image.line,
          column: image.column,
          from: image.image,
          to: result.edit.replacement,
        });
      } else if (result.status === 'rejected') {
        failures.push({
          source: image.source,
          line: image.line,
          column: image.column,
          image: image.image,
          class: 'not rewritable',
          code: 'MANIFEST_NOT_REWRITABLE',
          message: `cannot rewrite image ${JSON.stringify(image.image)} in place (${result.reason})`,
          hint: 'write the image as a one-line plain or quoted scalar, or pin it by hand',
        });
      }
    });
    return { source: input.source, original: input.text, text, changes };
  });

  const lockEntries: Array<[string, LockEntry]> = [];
  for (const [key, pending] of resolves) {
    const outcome = await pending;
    if (outcome.ok) lockEntries.push([key, outcome.value]);
  }
  return {
    files,
    failures: sortFailures(failures, inputs),
    images: images.map(({ ref: _ref, ...occurrence }) => occurrence),
    lock: createLock(lockEntries),
    lookups: { resolved: resolves.size, verified: verifies.size },
  };
}

function notInLock(image: CollectedImage): PinFailure {
  return {
    source: image.source,
    line: image.line,
    column: image.column,
    image: image.image,
    class: 'not in lock',
    code: 'CONFIG_LOCK_MISSING',
    message: `${lockKey(image.ref)} is not in the lock file`,
    hint: 'resolve it once with: kubefresh pin --lock FILE PATH… (with the registry reachable)',
  };
}

function lookupFailure(image: CollectedImage, err: unknown): PinFailure {
  const { class: cls, code, message, hint } = classifyLookupError(err);
  return {
    source: image.source,
    line: image.line,
    column: image.column,
    image: image.image,
    class: cls,
    code,
    message,
    ...(hint ? { hint } : {}),
  };
}

function settle<T>(promise: Promise<T>): Promise<Outcome<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/** Runs at most `max` tasks at once. */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async (task) => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
