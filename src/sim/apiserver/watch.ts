import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../ports/clock.js';
import { type KubeObject, type ObjectStore, StoreError, type WatchEvent } from '../store/index.js';
import type { ObjectApi } from './objects.js';
import type { ResourceInfo } from './resources.js';
import { errors, type StatusObject } from './status.js';
import { buildTable } from './table/index.js';

export interface WatchRequest {
  readonly info: ResourceInfo;
  readonly namespace: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  readonly resourceVersion?: string | undefined;
  readonly allowBookmarks: boolean;
  readonly sendInitialEvents: boolean;
  readonly timeoutSeconds?: number | undefined;
  readonly asTable: boolean;
}

export interface WatchContext {
  readonly store: ObjectStore;
  readonly objects: ObjectApi;
  readonly clock: Clock;
  readonly bookmarkIntervalMs: number;
  readonly dropAfterMs: number | undefined;
  readonly forceGone: boolean;
  /** Registers a way to end this stream now (fault injection); returns the unregister function. */
  readonly track: (end: () => void) => () => void;
}

/**
 * Streams a watch as the real server does: HTTP 200, then one JSON event per line
 * (`{"type":"ADDED","object":…}`). Without a resourceVersion (or with "0") the current objects
 * come first as ADDED; with one, changes after it are replayed, or a single `ERROR` event
 * carrying a 410 `Expired` Status says it is too old. Objects that stop (or start) matching the
 * selectors arrive as DELETED (or ADDED), as from the watch cache.
 */
export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  w: WatchRequest,
  ctx: WatchContext,
): void {
  const { info, namespace } = w;
  const filter = ctx.objects.filterFor(info, w);
  const matches = (o: KubeObject) => !filter || filter(o);
  const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const scopeNs = info.namespaced ? namespace : undefined;

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let closed = false;
  const cleanups: (() => void)[] = [];
  const end = () => {
    if (closed) return;
    closed = true;
    for (const fn of cleanups) fn();
    res.end();
  };
  req.on('close', end);
  res.on('close', end);

  /** The event's object as JSON: a stored version's cached text unless a Table is wanted. */
  const render = (object: KubeObject): string => {
    if (!w.asTable) return ctx.objects.json(info, object);
    return JSON.stringify(
      buildTable(info.kind, [ctx.objects.present(info, object)], {
        now: ctx.clock.now(),
        include: 'Object',
        resourceVersion: object.metadata.resourceVersion ?? '',
      }),
    );
  };
  /** Writes `{"type":…,"object":…}`, the same bytes as stringifying the event. */
  const sendJson = (type: string, json: string) => {
    if (!closed) res.write(`{"type":${JSON.stringify(type)},"object":${json}}\n`);
  };
  const send = (type: string, object: unknown) => sendJson(type, JSON.stringify(object));
  const sendError = (status: StatusObject) => {
    send('ERROR', status);
    end();
  };

  const visible = new Set<string>();
  const rv = w.resourceVersion;
  const fromNow = rv === undefined || rv === '' || rv === '0';
  const initial = fromNow || w.sendInitialEvents;
  const onEvent = (event: WatchEvent) => {
    const key = keyOf(event.object);
    const now = matches(event.object);
    if (event.type === 'ADDED') {
      if (now) {
        visible.add(key);
        sendJson('ADDED', render(event.object));
      }
    } else if (event.type === 'MODIFIED') {
      if (now) {
        sendJson(visible.has(key) ? 'MODIFIED' : 'ADDED', render(event.object));
        visible.add(key);
      } else if (visible.delete(key)) sendJson('DELETED', render(event.object));
    } else if (event.type === 'DELETED') {
      if (visible.delete(key) || now) sendJson('DELETED', render(event.object));
    }
  };

  try {
    if (!fromNow && ctx.forceGone)
      throw new StoreError('Gone', `too old resource version: ${rv} (${ctx.store.resourceVersion()})`);
    const current = ctx.store.list(info.storeKey, { namespace: scopeNs, filter });
    for (const object of current.items) {
      visible.add(keyOf(object));
      if (initial) sendJson('ADDED', render(object));
    }
    if (w.sendInitialEvents) sendBookmark(true);
    const watch = ctx.store.watch(
      info.storeKey,
      { namespace: scopeNs, ...(initial ? {} : { resourceVersion: rv }) },
      onEvent,
    );
    cleanups.push(() => watch.stop());
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    sendError(
      error.reason === 'Gone'
        ? errors.expired(error.message).status
        : errors.badRequest(error.message).status,
    );
    return;
  }

  function sendBookmark(initialEnd = false) {
    send('BOOKMARK', {
      kind: info.kind,
      apiVersion: info.group ? `${info.group}/${info.version}` : info.version,
      metadata: {
        resourceVersion: ctx.store.resourceVersion(),
        creationTimestamp: null,
        ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
      },
    });
  }
  if (w.allowBookmarks) {
    let cancel = () => {};
    const schedule = () => {
      cancel = ctx.clock.setTimeout(() => {
        sendBookmark();
        if (!closed) schedule();
      }, ctx.bookmarkIntervalMs);
    };
    schedule();
    cleanups.push(() => cancel());
  }
  const timeoutMs = (w.timeoutSeconds ?? 1800 * (1 + Math.random())) * 1000;
  cleanups.push(ctx.clock.setTimeout(end, timeoutMs));
  if (ctx.dropAfterMs !== undefined) {
    const timer = setTimeout(end, ctx.dropAfterMs);
    cleanups.push(() => clearTimeout(timer));
  }
  cleanups.push(ctx.track(end));
}
