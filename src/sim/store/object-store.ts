import { randomUUID } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';
import { apiTime } from '../clock.js';
import { StoreError } from './store-error.js';
import type { KubeObject, ResourceKey, WatchEvent } from './types.js';

export interface ListOptions {
  readonly namespace?: string | undefined;
  readonly filter?: ((object: KubeObject) => boolean) | undefined;
}

export interface PageOptions extends ListOptions {
  /** Start after this list key (`<namespace>/<name>`, `/<name>` for cluster-scoped objects). */
  readonly after?: string | undefined;
  /** At most this many items; omitted or 0 means all. */
  readonly limit?: number | undefined;
}

export interface Page {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
  /** The list key of the last item, when more items follow. */
  readonly lastKey?: string;
  /** How many matching items follow this page. */
  readonly remaining: number;
}

export interface WriteOptions {
  /**
   * The caller hands `input` over: the store keeps it as is instead of copying it, and fills in its
   * metadata. Only for freshly built objects whose `metadata` is their own; other parts may be
   * shared with stored objects, since no stored object is ever mutated.
   */
  readonly adopt?: boolean;
}

export interface WatchOptions extends ListOptions {
  /** Replay every change after this version first; omitted means "from now". */
  readonly resourceVersion?: string | undefined;
}

export interface Watch {
  stop(): void;
}

interface LoggedEvent {
  readonly rv: number;
  readonly resource: ResourceKey;
  readonly event: WatchEvent;
}

interface Watcher {
  readonly resource: ResourceKey;
  readonly options: WatchOptions;
  readonly onEvent: (event: WatchEvent) => void;
  queue: WatchEvent[];
  scheduled: boolean;
  stopped: boolean;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The simulated cluster's etcd: objects by resource, namespace and name, one global
 * resourceVersion counter, and a bounded change log that lets watches resume from a version (older
 * than the log → 410 Gone, as the real server answers).
 *
 * Objects handed out are shared with the store: never mutate them; copy before changing (a
 * shallow copy of the parts that change is enough, since no stored object is ever mutated) and
 * write the copy back with `update`. The store copies what it is given unless told to adopt it.
 * Because a stored object never changes, its JSON text is computed once and reused
 * ({@link ObjectStore.json}).
 * Watch events are delivered asynchronously (a microtask later), in order, so a listener may
 * write to the store without re-entering itself.
 */
export class ObjectStore {
  private readonly objects = new Map<ResourceKey, Map<string, KubeObject>>();
  /** The change log is `log[logStart…]`; the dead head is cut off in bulk, not per write. */
  private readonly log: LoggedEvent[] = [];
  private logStart = 0;
  private readonly watchers = new Set<Watcher>();
  /** Per resource, its list keys in order; dropped when an object is added or removed. */
  private readonly sorted = new Map<ResourceKey, string[]>();
  private readonly texts = new WeakMap<KubeObject, string>();
  private revision = 1;

  constructor(
    private readonly clock: Clock,
    private readonly logCapacity = 200_000,
  ) {}

  /** The newest resourceVersion handed out. */
  resourceVersion(): string {
    return String(this.revision);
  }

  get(resource: ResourceKey, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(resource).get(keyOf(namespace, name));
  }

  list(resource: ResourceKey, options: ListOptions = {}): { items: KubeObject[]; resourceVersion: string } {
    const items: KubeObject[] = [];
    for (const object of this.bucket(resource).values()) {
      if (options.namespace !== undefined && object.metadata.namespace !== options.namespace) continue;
      if (options.filter && !options.filter(object)) continue;
      items.push(object);
    }
    return { items, resourceVersion: this.resourceVersion() };
  }

  /**
   * One page of a list in the API's order (by namespace, then name), continuing after `after`:
   * costs O(log n + page) when nothing was added or removed since the last page, so a client
   * paging through 10,000 pods 500 at a time does not sort 10,000 keys for every page.
   */
  page(resource: ResourceKey, options: PageOptions = {}): Page {
    const keys = this.sortedKeys(resource);
    const bucket = this.bucket(resource);
    const { namespace, filter } = options;
    let start = 0;
    let end = keys.length;
    if (namespace !== undefined) {
      start = lowerBound(keys, `${namespace}/`);
      end = lowerBound(keys, `${namespace}0`); // '0' sorts right after '/'
    }
    if (options.after !== undefined) start = Math.max(start, upperBound(keys, options.after));
    const limit = options.limit && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
    const items: KubeObject[] = [];
    let i = start;
    let lastKey = '';
    for (; i < end && items.length < limit; i++) {
      const object = bucket.get(storeKeyOf(keys[i]!))!;
      if (filter && !filter(object)) continue;
      items.push(object);
      lastKey = keys[i]!;
    }
    let remaining = 0;
    if (!filter) remaining = end - i;
    else for (; i < end; i++) if (filter(bucket.get(storeKeyOf(keys[i]!))!)) remaining++;
    return {
      items,
      resourceVersion: this.resourceVersion(),
      remaining,
      ...(remaining > 0 ? { lastKey } : {}),
    };
  }

  /**
   * `JSON.stringify(object)` for an object the store handed out, computed once per stored version:
   * list and watch responses are then joined from cached texts instead of serialized afresh.
   */
  json(object: KubeObject): string {
    let text = this.texts.get(object);
    if (text === undefined) {
      text = JSON.stringify(object);
      this.texts.set(object, text);
    }
    return text;
  }

  create(resource: ResourceKey, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const object = options.adopt ? input : structuredClone(input);
    const meta = object.metadata;
    if (!meta.name && meta.generateName)
      meta.name = this.generatedName(resource, meta.namespace, meta.generateName);
    if (!meta.name) throw new StoreError('Invalid', 'name or generateName is required');
    const bucket = this.bucket(resource);
    const key = keyOf(meta.namespace, meta.name);
    if (bucket.has(key)) {
      throw new StoreError('AlreadyExists', `${describe(resource)} "${meta.name}" already exists`);
    }
    meta.uid = randomUUID();
    meta.creationTimestamp = apiTime(this.clock.now());
    meta.generation ??= 1;
    meta.resourceVersion = String(++this.revision);
    delete meta.deletionTimestamp;
    bucket.set(key, object);
    this.sorted.delete(resource);
    this.emit(resource, { type: 'ADDED', object });
    return object;
  }

  /**
   * Replaces a stored object. When `input.metadata.resourceVersion` is set it must equal the stored
   * one (optimistic concurrency); identity fields (uid, creationTimestamp) are kept from the store.
   */
  update(resource: ResourceKey, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const bucket = this.bucket(resource);
    const key = keyOf(input.metadata.namespace, input.metadata.name);
    const current = bucket.get(key);
    if (!current)
      throw new StoreError('NotFound', `${describe(resource)} "${input.metadata.name}" not found`);
    const expected = input.metadata.resourceVersion;
    if (expected && expected !== current.metadata.resourceVersion) {
      throw new StoreError(
        'Conflict',
        `Operation cannot be fulfilled on ${describe(resource)} "${input.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    const object = options.adopt ? input : structuredClone(input);
    object.metadata.uid = current.metadata.uid;
    object.metadata.creationTimestamp = current.metadata.creationTimestamp;
    object.metadata.resourceVersion = String(++this.revision);
    bucket.set(key, object);
    this.emit(resource, { type: 'MODIFIED', object });
    return object;
  }

  delete(resource: ResourceKey, namespace: string | undefined, name: string): KubeObject {
    const bucket = this.bucket(resource);
    const key = keyOf(namespace, name);
    const current = bucket.get(key);
    if (!current) throw new StoreError('NotFound', `${describe(resource)} "${name}" not found`);
    bucket.delete(key);
    this.sorted.delete(resource);
    const object = {
      ...current,
      metadata: { ...current.metadata, resourceVersion: String(++this.revision) },
    };
    this.emit(resource, { type: 'DELETED', object });
    return object;
  }

  /**
   * Streams changes of `resource`. With `resourceVersion`, first replays logged changes after it;
   * throws `Gone` when that version is older than the log keeps.
   */
  watch(resource: ResourceKey, options: WatchOptions, onEvent: (event: WatchEvent) => void): Watch {
    const watcher: Watcher = { resource, options, onEvent, queue: [], scheduled: false, stopped: false };
    if (
      options.resourceVersion !== undefined &&
      options.resourceVersion !== '' &&
      options.resourceVersion !== '0'
    ) {
      const since = Number(options.resourceVersion);
      if (!Number.isInteger(since)) {
        throw new StoreError('Invalid', `invalid resourceVersion "${options.resourceVersion}"`);
      }
      const oldest = this.log[this.logStart]?.rv ?? this.revision + 1;
      if (since < oldest - 1 && since < this.revision) {
        throw new StoreError('Gone', `too old resource version: ${since} (${oldest - 1})`);
      }
      for (let i = this.logStart; i < this.log.length; i++) {
        const entry = this.log[i]!;
        if (entry.rv > since && entry.resource === resource) this.enqueue(watcher, entry.event);
      }
    }
    this.watchers.add(watcher);
    return {
      stop: () => {
        watcher.stopped = true;
        this.watchers.delete(watcher);
      },
    };
  }

  private emit(resource: ResourceKey, event: WatchEvent): void {
    const rv = Number(event.object.metadata.resourceVersion);
    this.log.push({ rv, resource, event });
    if (this.log.length - this.logStart > this.logCapacity) {
      this.log[this.logStart++] = undefined as unknown as LoggedEvent; // let the old object go
      // Shifting the whole log on every write would cost O(capacity) per write.
      if (this.logStart >= Math.max(1024, this.logCapacity)) {
        this.log.splice(0, this.logStart);
        this.logStart = 0;
      }
    }
    for (const watcher of this.watchers) {
      if (watcher.resource === resource) this.enqueue(watcher, event);
    }
  }

  private enqueue(watcher: Watcher, event: WatchEvent): void {
    const { namespace, filter } = watcher.options;
    if (namespace !== undefined && event.object.metadata.namespace !== namespace) return;
    if (filter && !filter(event.object)) return;
    watcher.queue.push(event);
    if (watcher.scheduled) return;
    watcher.scheduled = true;
    queueMicrotask(() => {
      watcher.scheduled = false;
      const batch = watcher.queue;
      watcher.queue = [];
      for (const item of batch) {
        if (watcher.stopped) return;
        watcher.onEvent(item);
      }
    });
  }

  private sortedKeys(resource: ResourceKey): string[] {
    let keys = this.sorted.get(resource);
    if (!keys) {
      keys = [];
      for (const object of this.bucket(resource).values()) keys.push(listKeyOf(object));
      keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.sorted.set(resource, keys);
    }
    return keys;
  }

  private bucket(resource: ResourceKey): Map<string, KubeObject> {
    let bucket = this.objects.get(resource);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(resource, bucket);
    }
    return bucket;
  }

  private generatedName(resource: ResourceKey, namespace: string | undefined, prefix: string): string {
    const bucket = this.bucket(resource);
    for (;;) {
      let suffix = '';
      for (let i = 0; i < 5; i++)
        suffix += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
      const name = `${prefix}${suffix}`;
      if (!bucket.has(keyOf(namespace, name))) return name;
    }
  }
}

function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** The key lists are ordered by: `<namespace>/<name>`, `/<name>` without a namespace. */
export function listKeyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function storeKeyOf(listKey: string): string {
  return listKey.startsWith('/') ? listKey.slice(1) : listKey;
}

/** First index whose key is ≥ `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is > `key`. */
function upperBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `deployments.apps` → `deployments.apps`, `pods` → `pods`: how the API names a resource in messages. */
function describe(resource: ResourceKey): string {
  return resource;
}
