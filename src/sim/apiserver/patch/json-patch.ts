import { errors } from '../status.js';
import { isPlainObject } from './merge-patch.js';

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/**
 * RFC 6902 JSON patch (`application/json-patch+json`), as `kubectl rollout undo` and `kubectl
 * patch --type=json` send it. Failures answer with the real server's messages.
 */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw errors.badRequest(`json: cannot unmarshal object into Go value of type jsonpatch.Patch`);
  }
  let doc = structuredClone(target);
  for (const raw of patch as Operation[]) {
    if (!isPlainObject(raw) || typeof raw.op !== 'string') {
      throw errors.unprocessable(`Unexpected kind: ${JSON.stringify(raw)}`);
    }
    const path = parsePointer(String(raw.path ?? ''));
    switch (raw.op) {
      case 'add':
        doc = put(doc, path, structuredClone(raw.value), 'add');
        break;
      case 'replace':
        get(doc, path, raw.path);
        doc = put(doc, path, structuredClone(raw.value), 'replace');
        break;
      case 'remove':
        get(doc, path, raw.path);
        doc = remove(doc, path);
        break;
      case 'move': {
        const from = parsePointer(String(raw.from ?? ''));
        const value = get(doc, from, raw.from ?? '');
        doc = put(remove(doc, from), path, value, 'add');
        break;
      }
      case 'copy': {
        const value = get(doc, parsePointer(String(raw.from ?? '')), raw.from ?? '');
        doc = put(doc, path, structuredClone(value), 'add');
        break;
      }
      case 'test': {
        const actual = get(doc, path, raw.path);
        if (JSON.stringify(actual) !== JSON.stringify(raw.value)) {
          throw errors.unprocessable(`testing value ${raw.path} failed: test failed`);
        }
        break;
      }
      default:
        throw errors.unprocessable(`Unexpected kind: ${raw.op}`);
    }
  }
  return doc;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw errors.unprocessable(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function get(doc: unknown, path: string[], text: string): unknown {
  let node = doc;
  for (const part of path) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isPlainObject(node)) node = Object.hasOwn(node, part) ? node[part] : undefined;
    else node = undefined;
    if (node === undefined) {
      throw errors.unprocessable(`doc is missing path: "${text}": missing value`);
    }
  }
  return node;
}

function put(doc: unknown, path: string[], value: unknown, mode: 'add' | 'replace'): unknown {
  if (path.length === 0) return value;
  const parent = get(doc, path.slice(0, -1), `/${path.slice(0, -1).join('/')}`);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) {
      throw errors.unprocessable(
        `add operation does not apply: doc is missing path: "/${path.join('/')}": missing value`,
      );
    }
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isPlainObject(parent)) {
    (parent as Record<string, unknown>)[last] = value;
  } else {
    throw errors.unprocessable(
      `add operation does not apply: doc is missing path: "/${path.join('/')}": missing value`,
    );
  }
  return doc;
}

function remove(doc: unknown, path: string[]): unknown {
  const parent = get(doc, path.slice(0, -1), `/${path.slice(0, -1).join('/')}`);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isPlainObject(parent)) delete parent[last];
  return doc;
}
