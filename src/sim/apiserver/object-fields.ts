/** Helpers for defaulting fields of untyped API objects, as the API server's defaulters do. */
export type Obj = Record<string, unknown>;

/** `parent[key]` as an object, created (and stored) when missing or not an object. */
export function obj(parent: Obj, key: string): Obj {
  const value = parent[key];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Obj;
  const created: Obj = {};
  parent[key] = created;
  return created;
}

/** Sets `target[key]` unless it already has a value (absent, null and "" count as unset). */
export function setDefault(target: Obj, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null || target[key] === '') target[key] = value;
}
