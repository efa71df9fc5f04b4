import { randomUUID } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';
import { apiTime } from '../clock.js';
import { StoreError } from './store-error.js';
import type { KubeObject, ResourceKey, WatchEvent } from './types.js';

export interface ListOptions {
  readonly namespace?: string | undefined;
  readonly filter?: ((object: KubeObject) => boolean) | undefined;
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
 * Objects handed out are shared with the store: never mutate them; clone (`structuredClone`)
 * before changing and write the copy back with `update`. The store copies what it is given.
 * Watch events are delivered asynchronously (a microtask later), in order, so a listener may
 * write to the store without re-entering itself.
 */
export class ObjectStore {
  private readonly objects = new Map<ResourceKey, Map<string, KubeObject>>();
  private readonly log: LoggedEvent[] = [];
  private readonly watchers = new Set<Watcher>();
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

  create(resource: ResourceKey, input: KubeObject): KubeObject {
    const object = structuredClone(input);
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
    this.emit(resource, { type: 'ADDED', object });
    return object;
  }

  /**
   * Replaces a stored object. When `input.metadata.resourceVersion` is set it must equal the stored
   * one (optimistic concurrency); identity fields (uid, creationTimestamp) are kept from the store.
   */
  update(resource: ResourceKey, input: KubeObject): KubeObject {
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
    const object = structuredClone(input);
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
    const object = structuredClone(current);
    object.metadata.resourceVersion = String(++this.revision);
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
      const oldest = this.log[0]?.rv ?? this.revision + 1;
      if (since < oldest - 1 && since < this.revision) {
        throw new StoreError('Gone', `too old resource version: ${since} (${oldest - 1})`);
      }
      for (const entry of this.log) {
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
    if (this.log.length > this.logCapacity) this.log.splice(0, this.log.length - this.logCapacity);
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

/** `deployments.apps` → `deployments.apps`, `pods` → `pods`: how the API names a resource in messages. */
function describe(resource: ResourceKey): string {
  return resource;
}
