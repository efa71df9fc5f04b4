import type { KubeObject } from '../store/index.js';
import { errors } from './status.js';

/** One parsed requirement of a label selector (`app=web`, `tier in (a,b)`, `!canary`). */
export interface LabelRequirement {
  readonly key: string;
  readonly op: 'in' | 'notin' | 'exists' | '!';
  readonly values: readonly string[];
}

/** A parsed selector; `matches(labels)` decides membership. */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  matches(labels: Record<string, string> | undefined): boolean;
}

/**
 * Parses the `labelSelector` query syntax: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`,
 * `k` (exists) and `!k`, comma-separated, all of which must hold. `!=` and `notin` also match
 * objects without the key, as in Kubernetes.
 */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements: LabelRequirement[] = [];
  for (const part of splitTopLevel(text)) {
    const term = part.trim();
    if (!term) continue;
    requirements.push(parseRequirement(term, text));
  }
  return {
    requirements,
    matches: (labels) => requirements.every((r) => matchRequirement(r, labels ?? {})),
  };
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function parseRequirement(term: string, whole: string): LabelRequirement {
  const bad = (why: string) => errors.badRequest(`unable to parse requirement: ${why} in "${whole}"`);
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (set) {
    const values = set[3]!
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    checkKey(set[1]!, bad);
    for (const v of values) checkValue(v, bad);
    return { key: set[1]!, op: set[2] as 'in' | 'notin', values };
  }
  const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (eq) {
    checkKey(eq[1]!, bad);
    checkValue(eq[3]!, bad);
    return { key: eq[1]!, op: eq[2] === '!=' ? 'notin' : 'in', values: [eq[3]!] };
  }
  if (term.startsWith('!')) {
    const key = term.slice(1).trim();
    checkKey(key, bad);
    return { key, op: '!', values: [] };
  }
  checkKey(term, bad);
  return { key: term, op: 'exists', values: [] };
}

function checkKey(key: string, bad: (why: string) => Error): void {
  if (!KEY.test(key) || key.length > 317) throw bad(`invalid label key "${key}"`);
}

function checkValue(value: string, bad: (why: string) => Error): void {
  if (value.length > 63 || !VALUE.test(value)) throw bad(`invalid label value: "${value}"`);
}

function matchRequirement(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'in':
      return has && r.values.includes(labels[r.key]!);
    case 'notin':
      return !has || !r.values.includes(labels[r.key]!);
  }
}

/** A label selector object as stored in specs (`matchLabels` + `matchExpressions`). */
export interface SpecSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Evaluates a spec-style selector (Deployment/ReplicaSet `spec.selector`). Empty selects all. */
export function matchesSpecSelector(
  selector: SpecSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (have[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(have, e.key);
    const values = e.values ?? [];
    const ok =
      e.operator === 'In'
        ? present && values.includes(have[e.key]!)
        : e.operator === 'NotIn'
          ? !present || !values.includes(have[e.key]!)
          : e.operator === 'Exists'
            ? present
            : e.operator === 'DoesNotExist'
              ? !present
              : false;
    if (!ok) return false;
  }
  return true;
}

/** Renders a spec selector in query syntax, as `kubectl get -o wide` shows it (`app=web`). */
export function formatSpecSelector(selector: SpecSelector | undefined): string {
  if (!selector) return '<none>';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** Fields each kind supports in `fieldSelector`, and how to read them from an object. */
const FIELD_GETTERS: Record<string, Record<string, (o: KubeObject) => unknown>> = {
  '*': {
    'metadata.name': (o) => o.metadata.name,
    'metadata.namespace': (o) => o.metadata.namespace ?? '',
  },
  Pod: {
    'spec.nodeName': (o) => (o.spec as { nodeName?: string } | undefined)?.nodeName ?? '',
    'spec.restartPolicy': (o) => (o.spec as { restartPolicy?: string } | undefined)?.restartPolicy ?? '',
    'spec.schedulerName': (o) => (o.spec as { schedulerName?: string } | undefined)?.schedulerName ?? '',
    'spec.serviceAccountName': (o) =>
      (o.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? '',
    'status.phase': (o) => (o.status as { phase?: string } | undefined)?.phase ?? '',
    'status.podIP': (o) => (o.status as { podIP?: string } | undefined)?.podIP ?? '',
    'status.nominatedNodeName': (o) =>
      (o.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName ?? '',
  },
  Event: {
    'involvedObject.kind': (o) => involved(o).kind,
    'involvedObject.namespace': (o) => involved(o).namespace,
    'involvedObject.name': (o) => involved(o).name,
    'involvedObject.uid': (o) => involved(o).uid,
    'involvedObject.apiVersion': (o) => involved(o).apiVersion,
    'involvedObject.resourceVersion': (o) => involved(o).resourceVersion,
    'involvedObject.fieldPath': (o) => involved(o).fieldPath,
    // events.k8s.io/v1 names the same fields regarding.*
    'regarding.kind': (o) => involved(o).kind,
    'regarding.namespace': (o) => involved(o).namespace,
    'regarding.name': (o) => involved(o).name,
    'regarding.uid': (o) => involved(o).uid,
    reason: (o) => o.reason ?? '',
    reportingComponent: (o) => o.reportingComponent ?? '',
    source: (o) => (o.source as { component?: string } | undefined)?.component ?? '',
    type: (o) => o.type ?? '',
  },
  Node: {
    'spec.unschedulable': (o) =>
      String((o.spec as { unschedulable?: boolean } | undefined)?.unschedulable ?? false),
  },
  Namespace: { 'status.phase': (o) => (o.status as { phase?: string } | undefined)?.phase ?? '' },
  ReplicaSet: {
    'status.replicas': (o) => String((o.status as { replicas?: number } | undefined)?.replicas ?? 0),
  },
  Secret: { type: (o) => o.type ?? '' },
};

function involved(o: KubeObject): Record<string, string> {
  const ref = (o.involvedObject ?? o.regarding ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ref)) out[k] = v === undefined || v === null ? '' : String(v);
  return new Proxy(out, { get: (t, k: string) => t[k] ?? '' });
}

/**
 * Parses a `fieldSelector` (`a=b`, `a==b`, `a!=b`, comma-joined) for `kind`; unknown fields give
 * the real server's `BadRequest` "field label not supported".
 */
export function parseFieldSelector(text: string, kind: string): (o: KubeObject) => boolean {
  const getters = { ...FIELD_GETTERS['*'], ...(FIELD_GETTERS[kind] ?? {}) };
  const tests: ((o: KubeObject) => boolean)[] = [];
  for (const raw of text.split(',')) {
    const term = raw.trim();
    if (!term) continue;
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw errors.badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = m[1]!;
    const getter = getters[field];
    if (!getter) throw errors.badRequest(`field label not supported: ${field}`);
    const want = m[3]!;
    const negate = m[2] === '!=';
    tests.push((o) => (String(getter(o) ?? '') === want) !== negate);
  }
  return (o) => tests.every((t) => t(o));
}
