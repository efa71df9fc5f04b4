import type { Clock } from '../../ports/clock.js';
import { apiTime } from '../clock.js';
import type { KubeObject, ObjectStore } from '../store/index.js';
import { applyDefaults } from './defaults.js';
import { fromEventsV1, toEventsV1 } from './event-conversion.js';
import { canonicalJson } from './json.js';
import { applyJsonPatch } from './patch/json-patch.js';
import { applyMergePatch, isPlainObject } from './patch/merge-patch.js';
import { patchMetaFor } from './patch/patch-meta.js';
import { applyStrategicMergePatch } from './patch/strategic-merge-patch.js';
import { apiVersionOf, RESOURCES, type ResourceInfo } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { errors, fromStoreError } from './status.js';
import { validateObject } from './validation.js';
import { carryTemplateGeneration } from './workload-kinds.js';

/** Patch content types the server accepts, as the 415 message lists them. */
export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
] as const;
export type PatchType = (typeof PATCH_TYPES)[number];

export interface ListQuery {
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  readonly limit?: number | undefined;
  readonly continueToken?: string | undefined;
}

export interface ListResult {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
}

export interface WriteOptions {
  readonly dryRun?: boolean;
  /** `status` writes change only `.status`; the main resource never changes `.status`. */
  readonly subresource?: 'status' | undefined;
}

export interface DeleteOptions {
  readonly gracePeriodSeconds?: number | undefined;
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' | undefined;
  readonly dryRun?: boolean;
  readonly preconditions?: { uid?: string; resourceVersion?: string } | undefined;
}

/** Kinds whose `.status` is written only through the `status` subresource. */
const STATUS_KINDS = new Set([
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Node',
  'Namespace',
]);
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/**
 * The API's object semantics over the store, independent of HTTP: defaulting, validation,
 * generation bumps, patches, subresources, graceful and cascading deletion, selectors and
 * paging. The HTTP layer maps URLs and bodies onto these calls.
 */
export class ObjectApi {
  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
  ) {}

  /** Converts a stored object to what `info`'s API version serves. */
  present(info: ResourceInfo, object: KubeObject): KubeObject {
    if (info.group === 'events.k8s.io') return toEventsV1(object);
    if (object.kind && object.apiVersion) return object;
    return { ...object, kind: info.kind, apiVersion: apiVersionOf(info) };
  }

  get(info: ResourceInfo, namespace: string | undefined, name: string): KubeObject {
    const object = this.store.get(info.storeKey, scope(info, namespace), name);
    if (!object) throw errors.notFound(info, name);
    return this.present(info, object);
  }

  /** A filter for `labelSelector`/`fieldSelector`, or undefined when both are empty. */
  filterFor(info: ResourceInfo, query: ListQuery): ((o: KubeObject) => boolean) | undefined {
    const labels = query.labelSelector ? parseLabelSelector(query.labelSelector) : undefined;
    const fields = query.fieldSelector ? parseFieldSelector(query.fieldSelector, info.kind) : undefined;
    if (!labels && !fields) return undefined;
    return (o) => (!labels || labels.matches(o.metadata.labels)) && (!fields || fields(o));
  }

  list(info: ResourceInfo, namespace: string | undefined, query: ListQuery = {}): ListResult {
    const filter = this.filterFor(info, query);
    const page = this.store.page(info.storeKey, {
      namespace: scope(info, namespace),
      filter,
      after: query.continueToken ? decodeContinue(query.continueToken) : undefined,
      limit: query.limit,
    });
    const { resourceVersion } = page;
    return {
      items: page.items.map((o) => this.present(info, o)),
      resourceVersion,
      ...(page.lastKey !== undefined
        ? {
            continueToken: encodeContinue(page.lastKey, resourceVersion),
            remainingItemCount: page.remaining,
          }
        : {}),
    };
  }

  /** `JSON.stringify(present(info, object))`, from the store's cache when presenting changes nothing. */
  json(info: ResourceInfo, object: KubeObject): string {
    const presented = this.present(info, object);
    return presented === object ? this.store.json(object) : JSON.stringify(presented);
  }

  create(
    info: ResourceInfo,
    namespace: string | undefined,
    body: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const object = this.intake(info, namespace, body);
    if (info.namespaced && !this.store.get('namespaces', undefined, namespace ?? '')) {
      throw errors.notFound(RESOURCES.find((r) => r.plural === 'namespaces')!, namespace ?? '');
    }
    const meta = object.metadata;
    for (const field of [
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
    ] as const) {
      delete meta[field];
    }
    meta.generation = 1;
    if (STATUS_KINDS.has(object.kind) && object.kind !== 'Node') delete object.status;
    applyDefaults(object, true);
    validateObject(object, info);
    if (options.dryRun) {
      return this.present(info, {
        ...object,
        metadata: {
          ...meta,
          name: meta.name || `${meta.generateName ?? ''}dryrun`,
          creationTimestamp: apiTime(this.clock.now()),
        },
      });
    }
    // `intake` made `object` from a copy of the body: the store may keep it.
    const created = this.write(info, meta.name, () =>
      this.store.create(info.storeKey, object, { adopt: true }),
    );
    if (info.plural === 'namespaces') this.populateNamespace(created.metadata.name);
    return this.present(info, created);
  }

  update(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const object = this.intake(info, namespace, body);
    if (object.metadata.name && object.metadata.name !== name) {
      throw errors.badRequest(
        `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    object.metadata.name = name;
    const current = this.store.get(info.storeKey, scope(info, namespace), name);
    if (!current) throw errors.notFound(info, name);
    return this.present(info, this.replace(info, current, object, options));
  }

  patch(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const current = this.store.get(info.storeKey, scope(info, namespace), name);
    if (!current) throw errors.notFound(info, name);
    const before = this.present(info, current);
    const patched = applyPatch(before, type, patch);
    if (!isPlainObject(patched)) throw errors.badRequest('patch result is not an object');
    const object = this.intake(info, namespace, patched);
    object.metadata.name = name;
    // a patch applies to the version it read unless it names one itself
    const pinned =
      isPlainObject(patch) &&
      isPlainObject(patch.metadata) &&
      typeof patch.metadata.resourceVersion === 'string';
    if (!pinned) object.metadata.resourceVersion = current.metadata.resourceVersion;
    return this.present(info, this.replace(info, current, object, options));
  }

  /** Stores `next` over `current` with the rules of an update (or a status update). */
  private replace(
    info: ResourceInfo,
    current: KubeObject,
    next: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    let object: KubeObject;
    if (options.subresource === 'status') {
      object = {
        ...current,
        metadata: { ...current.metadata, resourceVersion: next.metadata.resourceVersion },
        status: next.status,
      };
    } else {
      object = next;
      const meta = object.metadata;
      meta.uid = current.metadata.uid;
      meta.creationTimestamp = current.metadata.creationTimestamp;
      meta.generation = current.metadata.generation ?? 1;
      setOrDelete(meta, 'deletionTimestamp', current.metadata.deletionTimestamp);
      setOrDelete(meta, 'deletionGracePeriodSeconds', current.metadata.deletionGracePeriodSeconds);
      if (STATUS_KINDS.has(info.kind)) setOrDelete(object, 'status', current.status);
      applyDefaults(object, false);
      validateObject(object, info, current);
      if (specOf(object) !== specOf(current)) meta.generation = (current.metadata.generation ?? 1) + 1;
      carryTemplateGeneration(object, current, (x, y) => canonicalJson(x) === canonicalJson(y));
    }
    if (options.dryRun) return object;
    const meta = object.metadata;
    if (meta.deletionTimestamp && !(meta.finalizers ?? []).length && !meta.deletionGracePeriodSeconds) {
      // the last finalizer is gone and no grace period runs (a terminating pod waits for its
      // kubelet instead): the pending deletion completes now
      return this.write(info, meta.name, () => {
        this.store.update(info.storeKey, object, { adopt: true });
        return this.store.delete(info.storeKey, meta.namespace, meta.name);
      });
    }
    // `object` is this call's own (from `intake` or a new status object): the store may keep it.
    return this.write(info, meta.name, () => this.store.update(info.storeKey, object, { adopt: true }));
  }

  /** `autoscaling/v1` Scale of a Deployment or ReplicaSet. */
  getScale(info: ResourceInfo, namespace: string | undefined, name: string): KubeObject {
    return scaleOf(this.get(info, namespace, name));
  }

  updateScale(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    scale: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    if (!isPlainObject(scale)) throw errors.badRequest('Scale must be a JSON object');
    const current = this.store.get(info.storeKey, scope(info, namespace), name);
    if (!current) throw errors.notFound(info, name);
    const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
    const next = structuredClone(current);
    next.spec = { ...(next.spec as object), replicas: typeof replicas === 'number' ? replicas : 0 };
    const rv = (scale.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    next.metadata.resourceVersion = rv || current.metadata.resourceVersion;
    return scaleOf(
      this.present(info, this.replace(info, current, next, { dryRun: options.dryRun ?? false })),
    );
  }

  patchScale(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const scale = this.getScale(info, namespace, name);
    const patched = applyPatch(scale, type, patch) as Record<string, unknown>;
    const pinned =
      isPlainObject(patch) &&
      isPlainObject(patch.metadata) &&
      typeof patch.metadata.resourceVersion === 'string';
    if (!pinned)
      (patched.metadata as { resourceVersion?: string }).resourceVersion = scale.metadata.resourceVersion;
    return this.updateScale(info, namespace, name, patched, options);
  }

  /**
   * Deletes one object. Pods bound to a node with a non-zero grace period are only marked
   * (deletionTimestamp, deletionGracePeriodSeconds): that node's kubelet removes them. Returns
   * the object and whether it is gone already.
   */
  delete(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): { object: KubeObject; gone: boolean } {
    const ns = scope(info, namespace);
    const current = this.store.get(info.storeKey, ns, name);
    if (!current) throw errors.notFound(info, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw errors.conflictMessage(
        info,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw errors.conflictMessage(
        info,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    }
    if (info.plural === 'namespaces' && PROTECTED_NAMESPACES.has(name)) {
      throw errors.forbidden(info, name, 'this namespace may not be deleted');
    }
    if (options.dryRun) return { object: this.present(info, current), gone: false };

    const now = this.clock.now();
    const grace = this.gracePeriod(current, options.gracePeriodSeconds);
    const finalizers = [...(current.metadata.finalizers ?? [])];
    if (options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) {
      finalizers.push('foregroundDeletion');
    }
    if (options.propagationPolicy === 'Orphan') this.orphanDependents(current);

    if (finalizers.length || grace > 0) {
      const next = structuredClone(current);
      next.metadata.finalizers = finalizers.length ? finalizers : undefined;
      if (!next.metadata.finalizers) delete next.metadata.finalizers;
      const existing = current.metadata.deletionTimestamp;
      const shorter = grace < (current.metadata.deletionGracePeriodSeconds ?? Number.POSITIVE_INFINITY);
      if (!existing || shorter) {
        next.metadata.deletionTimestamp = apiTime(now + grace * 1000);
        next.metadata.deletionGracePeriodSeconds = grace;
      }
      if (canonicalJson(next.metadata) === canonicalJson(current.metadata))
        return { object: this.present(info, current), gone: false };
      const updated = this.write(info, name, () => this.store.update(info.storeKey, next));
      return { object: this.present(info, updated), gone: false };
    }
    if (info.plural === 'namespaces') this.emptyNamespace(name);
    const deleted = this.write(info, name, () => this.store.delete(info.storeKey, ns, name));
    return { object: this.present(info, deleted), gone: true };
  }

  deleteCollection(
    info: ResourceInfo,
    namespace: string | undefined,
    query: ListQuery,
    options: DeleteOptions,
  ): KubeObject[] {
    const { items } = this.list(info, namespace, { ...query, limit: undefined, continueToken: undefined });
    const out: KubeObject[] = [];
    for (const item of items) {
      try {
        out.push(this.delete(info, item.metadata.namespace, item.metadata.name, options).object);
      } catch (error) {
        if ((error as { code?: number }).code !== 404) throw error;
      }
    }
    return out;
  }

  /** Seconds a deletion waits; only pods bound to a node and still running wait at all. */
  private gracePeriod(object: KubeObject, requested: number | undefined): number {
    if (object.kind !== 'Pod') return 0;
    const spec = (object.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (object.status as { phase?: string } | undefined)?.phase;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    const grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
    // a negative or zero request means "now" (kubectl --force --grace-period=0 sends 0)
    return Math.max(grace, 0);
  }

  private orphanDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    for (const key of new Set(RESOURCES.map((r) => r.storeKey))) {
      const { items } = this.store.list(key, {
        filter: (o) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === uid),
      });
      for (const dependent of items) {
        const next = structuredClone(dependent);
        next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        if (!next.metadata.ownerReferences.length) delete next.metadata.ownerReferences;
        this.store.update(key, next);
      }
    }
  }

  private emptyNamespace(namespace: string): void {
    for (const info of RESOURCES) {
      if (!info.namespaced || info.group === 'events.k8s.io') continue;
      for (const o of this.store.list(info.storeKey, { namespace }).items) {
        this.store.delete(info.storeKey, namespace, o.metadata.name);
      }
    }
  }

  /** What the ServiceAccount controller does for a new namespace: a `default` ServiceAccount. */
  populateNamespace(namespace: string): void {
    if (this.store.get('serviceaccounts', namespace, 'default')) return;
    this.store.create('serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace },
    });
  }

  /** Parses a request body into a stored-form object for `info` in `namespace`. */
  private intake(info: ResourceInfo, namespace: string | undefined, body: unknown): KubeObject {
    if (!isPlainObject(body)) throw errors.badRequest("Object 'Kind' is missing in the request body");
    const input = structuredClone(body) as unknown as KubeObject;
    if (input.kind !== undefined && input.kind !== info.kind) {
      throw errors.badRequest(
        `the API version in the data (${String(input.apiVersion)}) does not match the expected API version (${apiVersionOf(info)})`,
      );
    }
    input.kind = info.kind;
    input.apiVersion = apiVersionOf(info);
    if (!isPlainObject(input.metadata)) input.metadata = { name: '' };
    input.metadata.name ??= '';
    if (info.namespaced) {
      if (input.metadata.namespace && input.metadata.namespace !== namespace) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      input.metadata.namespace = namespace;
    } else delete input.metadata.namespace;
    return info.group === 'events.k8s.io' ? fromEventsV1(input) : input;
  }

  private write(info: ResourceInfo, name: string, fn: () => KubeObject): KubeObject {
    try {
      return fn();
    } catch (error) {
      throw fromStoreError(error, info, name);
    }
  }
}

function scope(info: ResourceInfo, namespace: string | undefined): string | undefined {
  return info.namespaced ? namespace : undefined;
}

function setOrDelete(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** What counts as "spec" for generation: `.spec`, or everything but metadata/status for spec-less kinds. */
function specOf(object: KubeObject): string {
  if (object.spec !== undefined) return canonicalJson(object.spec);
  const { metadata: _m, status: _s, ...rest } = object;
  return canonicalJson(rest);
}

function applyPatch(target: KubeObject, type: PatchType, patch: unknown): unknown {
  switch (type) {
    case 'application/merge-patch+json':
      return applyMergePatch(target, patch);
    case 'application/strategic-merge-patch+json':
      return applyStrategicMergePatch(target, patch, patchMetaFor(target.kind));
    case 'application/json-patch+json':
      return applyJsonPatch(target, patch);
  }
}

function scaleOf(object: KubeObject): KubeObject {
  const spec = (object.spec ?? {}) as {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
  };
  const status = (object.status ?? {}) as { replicas?: number };
  const selector = Object.entries(spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector },
  };
}

function encodeContinue(lastKey: string, resourceVersion: string): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(resourceVersion), start: `${lastKey}\u0000` }),
  ).toString('base64');
}

function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { start?: unknown };
    if (typeof parsed.start === 'string') return parsed.start.replace(/\u0000$/, '');
  } catch {
    // fall through
  }
  throw errors.badRequest(`continue key is not valid: "${token}"`);
}
