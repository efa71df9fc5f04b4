import { KubefreshError } from '../../errors/index.js';
import { parseImageRef } from '../image-ref/index.js';
import { isDigest } from '../oci/index.js';
import { createLock, type ImageLock, LOCK_API_VERSION, LOCK_KIND, type LockEntry, lockKey } from './lock.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/**
 * Reads a lock file. `source` names it in errors (a path). Every problem is a `CONFIG_LOCK_INVALID`
 * error quoting the offending key or value and saying what was expected; nothing else is thrown.
 */
export function parseLock(text: string, source: string): ImageLock {
  const fail = (problem: string): never => {
    throw new KubefreshError(
      'CONFIG_LOCK_INVALID',
      `reading lock file ${JSON.stringify(source)}: ${problem}`,
      {
        hint: 'write it again with: kubefresh pin --lock FILE PATH…',
        details: { file: source },
      },
    );
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(`not valid JSON (${jsonProblem(text, err)})`);
  }
  if (!isObject(json)) return fail(`expected a JSON object, got ${describe(json)}`);
  if (json.apiVersion !== LOCK_API_VERSION || json.kind !== LOCK_KIND) {
    fail(
      `expected apiVersion ${JSON.stringify(LOCK_API_VERSION)} and kind ${JSON.stringify(LOCK_KIND)}, got ${describe(json.apiVersion)} and ${describe(json.kind)}`,
    );
  }
  const images = json.images;
  if (!isObject(images))
    return fail(`"images": expected an object of reference → entry, got ${describe(images)}`);
  const entries: Array<[string, LockEntry]> = [];
  for (const [key, value] of Object.entries(images)) {
    const at = `images[${JSON.stringify(key)}]`;
    let normalized: string | undefined;
    try {
      const ref = parseImageRef(key);
      normalized = ref.digest === undefined ? lockKey(ref) : undefined;
    } catch {
      normalized = undefined;
    }
    if (normalized === undefined) fail(`${at}: expected an image reference with a tag and no digest`);
    if (normalized !== key) fail(`${at}: expected the fully qualified form ${JSON.stringify(normalized)}`);
    if (!isObject(value)) return fail(`${at}: expected an object, got ${describe(value)}`);
    const { digest, mediaType, resolvedAt } = value;
    if (typeof digest !== 'string' || !isDigest(digest)) {
      fail(`${at}.digest: expected sha256:<64 hex> or sha512:<128 hex>, got ${describe(digest)}`);
    }
    if (typeof mediaType !== 'string' || mediaType === '') {
      fail(`${at}.mediaType: expected a media type, got ${describe(mediaType)}`);
    }
    if (typeof resolvedAt !== 'string' || !ISO_UTC.test(resolvedAt) || Number.isNaN(Date.parse(resolvedAt))) {
      fail(
        `${at}.resolvedAt: expected an ISO 8601 UTC time such as "2025-01-31T12:00:00Z", got ${describe(resolvedAt)}`,
      );
    }
    entries.push([
      key,
      { digest: digest as string, mediaType: mediaType as string, resolvedAt: resolvedAt as string },
    ]);
  }
  return createLock(entries);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}…` : shown;
}

/** A JSON.parse failure in a line: V8's reason, with its position as line and column when it gives one. */
function jsonProblem(text: string, err: unknown): string {
  // V8 echoes the input (`Unexpected token 'x', "…" is not valid JSON`): drop the echo, it may be long.
  const message = (err instanceof Error ? err.message : String(err)).replace(
    /, ".*" is not valid JSON$/s,
    '',
  );
  const position = /at position (\d+)/.exec(message);
  if (!position) return message;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/s, '')}`;
}
