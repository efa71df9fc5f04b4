import type { KubeObject, ObjectStore } from '../store/index.js';
import { canonicalJson, safeEncode } from './hash.js';
import { controllerRefTo, type PodTemplate } from './objects.js';

export const CONTROLLER_REVISIONS = 'controllerrevisions.apps';

/** The label on ControllerRevisions (and StatefulSet/DaemonSet pods) naming their revision. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

export interface ControllerRevision extends KubeObject {
  revision: number;
  data: unknown;
}

/**
 * What a StatefulSet or DaemonSet revision stores: the patch that puts its template back,
 * `{"spec":{"template":{…,"$patch":"replace"}}}`. kubectl's `rollout undo` sends exactly this as a
 * strategic merge patch, and calls a revision "current" when its bytes equal this patch made from
 * the live object (Go's json.Marshal of a map: keys sorted), hence the canonical JSON.
 */
export function revisionData(template: PodTemplate | undefined): unknown {
  // Go encodes the typed template, whose zero `creationTimestamp` is written as null.
  const metadata = { creationTimestamp: null, ...(template?.metadata ?? {}) };
  return sortKeys({ spec: { template: { ...(template ?? {}), metadata, $patch: 'replace' } } });
}

/** A copy with object keys sorted at every level (nulls kept), as Go marshals a map. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = sortKeys(item);
  }
  return out;
}

/** FNV-32a of `text` then the collision count, safe-encoded: `history.HashControllerRevision`. */
export function hashText(text: string, collisionCount?: number): string {
  let hash = 0x811c9dc5;
  const feed = (byte: number) => {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  };
  for (const byte of new TextEncoder().encode(text)) feed(byte);
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    for (const byte of bytes) feed(byte);
  }
  return safeEncode(String(hash >>> 0));
}

/** The owner's revisions (controller reference by uid), oldest first. */
export function ownedRevisions(store: ObjectStore, owner: KubeObject): ControllerRevision[] {
  const { items } = store.list(CONTROLLER_REVISIONS, { namespace: owner.metadata.namespace });
  return (items as ControllerRevision[])
    .filter((cr) => cr.metadata.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata.uid))
    .sort((a, b) => a.revision - b.revision);
}

export interface SyncedRevisions {
  /** The revision of the owner's current template. */
  readonly update: ControllerRevision;
  readonly all: ControllerRevision[];
}

/**
 * Finds or creates the revision of `template` (history's `EqualRevision` by data). A template seen
 * before (a rollback) gets its old revision object back, renumbered as the newest, as the real
 * controllers do; otherwise a new `<owner>-<hash>` revision carrying the owner's annotations.
 */
export function syncRevision(
  store: ObjectStore,
  owner: KubeObject,
  template: PodTemplate | undefined,
  hashOf: (data: unknown) => string,
): SyncedRevisions {
  const all = ownedRevisions(store, owner);
  const data = revisionData(template);
  const text = canonicalJson(data);
  const max = all.reduce((n, cr) => Math.max(n, cr.revision), 0);
  const existing = all.find((cr) => canonicalJson(cr.data) === text);
  if (existing) {
    if (existing.revision === max) return { update: existing, all };
    const renumbered = store.update(CONTROLLER_REVISIONS, {
      ...structuredClone(existing),
      revision: max + 1,
    }) as ControllerRevision;
    return { update: renumbered, all: all.map((cr) => (cr === existing ? renumbered : cr)) };
  }
  const hash = hashOf(data);
  const created = store.create(CONTROLLER_REVISIONS, {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${owner.metadata.name}-${hash}`,
      namespace: owner.metadata.namespace,
      labels: { ...(template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(owner.metadata.annotations ? { annotations: { ...owner.metadata.annotations } } : {}),
      ownerReferences: [controllerRefTo(owner)],
    },
    data,
    revision: max + 1,
  }) as ControllerRevision;
  return { update: created, all: [...all, created] };
}

/**
 * Deletes the oldest revisions beyond `limit` that no live revision (`keep`: names in use by the
 * status or by pods) needs: the controllers' `truncateHistory`.
 */
export function truncateHistory(
  store: ObjectStore,
  all: readonly ControllerRevision[],
  keep: ReadonlySet<string>,
  limit: number,
): void {
  const old = all.filter((cr) => !keep.has(cr.metadata.name)).sort((a, b) => a.revision - b.revision);
  for (const cr of old.slice(0, Math.max(0, old.length - limit))) {
    store.delete(CONTROLLER_REVISIONS, cr.metadata.namespace, cr.metadata.name);
  }
}
