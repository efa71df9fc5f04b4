import { errors } from '../status.js';
import { isPlainObject } from './merge-patch.js';
import type { PatchMeta } from './patch-meta.js';

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

type Obj = Record<string, unknown>;

/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), what `kubectl apply`,
 * `set image` and `patch` send by default. Like a merge patch, except lists named in `meta` merge
 * element by element on their merge key, and these directives apply:
 * - `$patch: replace | delete` on a map, and `{$patch: replace}` as a list element;
 * - `{<key>: v, $patch: delete}` list elements remove the element with that key;
 * - `$retainKeys: [...]` on maps with the retainKeys strategy;
 * - `$setElementOrder/<list>` to order the merged list;
 * - `$deleteFromPrimitiveList/<list>` to remove scalars from a set-like list.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown, meta: PatchMeta): unknown {
  if (!isPlainObject(patch)) {
    throw errors.badRequest('strategic merge patch must be a JSON object');
  }
  return mergeMap(isPlainObject(target) ? target : {}, patch, meta) ?? {};
}

function mergeMap(original: Obj, patch: Obj, meta: PatchMeta | undefined): Obj | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch) as Obj;
  if (directive !== undefined && directive !== 'merge') {
    throw errors.badRequest(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  }
  const result: Obj = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const child = meta?.fields?.[key];
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(result[key], value, child);
    else if (isPlainObject(value)) {
      const merged = mergeMap(isPlainObject(result[key]) ? (result[key] as Obj) : {}, value, child);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else result[key] = value;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM) && Array.isArray(value)) {
      const list = key.slice(DELETE_FROM.length);
      const current = result[list];
      if (Array.isArray(current)) result[list] = current.filter((v) => !value.includes(v));
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(SET_ORDER) && Array.isArray(value)) {
      const list = key.slice(SET_ORDER.length);
      const current = result[list];
      if (Array.isArray(current)) result[list] = reorder(current, value, meta?.fields?.[list]?.mergeKey);
    }
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  return result;
}

function mergeList(original: unknown, patch: unknown[], meta: PatchMeta | undefined): unknown[] {
  const replaceAt = patch.findIndex((e) => isPlainObject(e) && e.$patch === 'replace');
  if (replaceAt >= 0) return patch.filter((_, i) => i !== replaceAt).map(stripDirectives);
  const current = Array.isArray(original) ? original : [];
  if (meta?.mergeSet) {
    const result = [...current];
    for (const item of patch) if (!result.includes(item)) result.push(item);
    return result;
  }
  const key = meta?.mergeKey;
  if (!key) return patch.map(stripDirectives);
  const result = [...current];
  for (const item of patch) {
    if (!isPlainObject(item)) {
      throw errors.badRequest(`json: cannot unmarshal ${typeof item} into a list merged by "${key}"`);
    }
    if (!Object.hasOwn(item, key)) {
      throw errors.badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    }
    const at = result.findIndex((e) => isPlainObject(e) && e[key] === item[key]);
    if (item.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      const merged = mergeMap(result[at] as Obj, item, meta);
      if (merged === undefined) result.splice(at, 1);
      else result[at] = merged;
    } else result.push(stripDirectives(item));
  }
  return result;
}

/** Orders `list` as `order` says; elements it does not name keep their relative order after them. */
function reorder(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const identity = (e: unknown) => (key && isPlainObject(e) ? e[key] : e);
  const wanted = order.map(identity);
  const rank = (e: unknown) => {
    const i = wanted.indexOf(identity(e));
    return i < 0 ? wanted.length : i;
  };
  return list
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i)
    .map((x) => x.e);
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = stripDirectives(v);
  return out;
}
