import type { KubeObject } from '../store/index.js';

/**
 * events.k8s.io/v1 Events are the same objects as core/v1 Events under other field names
 * (`regarding` = `involvedObject`, `note` = `message`, `deprecated*` = the old counters); the
 * store keeps the core form and the server converts on the way in and out.
 */
export function toEventsV1(core: KubeObject): KubeObject {
  const e = core as Record<string, unknown>;
  const out: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: core.metadata,
    eventTime: e.eventTime ?? null,
  };
  const copy = (from: string, to: string) => {
    if (e[from] !== undefined && e[from] !== null && e[from] !== '') out[to] = e[from];
  };
  copy('series', 'series');
  copy('reportingComponent', 'reportingController');
  copy('reportingInstance', 'reportingInstance');
  copy('action', 'action');
  copy('reason', 'reason');
  copy('involvedObject', 'regarding');
  copy('related', 'related');
  copy('message', 'note');
  copy('type', 'type');
  copy('source', 'deprecatedSource');
  copy('firstTimestamp', 'deprecatedFirstTimestamp');
  copy('lastTimestamp', 'deprecatedLastTimestamp');
  copy('count', 'deprecatedCount');
  return out as KubeObject;
}

/** The inverse of {@link toEventsV1}: what an events.k8s.io/v1 write stores. */
export function fromEventsV1(v1: KubeObject): KubeObject {
  const e = v1 as Record<string, unknown>;
  const out: Record<string, unknown> = { kind: 'Event', apiVersion: 'v1', metadata: v1.metadata };
  const copy = (from: string, to: string) => {
    if (e[from] !== undefined && e[from] !== null) out[to] = e[from];
  };
  copy('eventTime', 'eventTime');
  copy('series', 'series');
  copy('reportingController', 'reportingComponent');
  copy('reportingInstance', 'reportingInstance');
  copy('action', 'action');
  copy('reason', 'reason');
  copy('regarding', 'involvedObject');
  copy('related', 'related');
  copy('note', 'message');
  copy('type', 'type');
  copy('deprecatedSource', 'source');
  copy('deprecatedFirstTimestamp', 'firstTimestamp');
  copy('deprecatedLastTimestamp', 'lastTimestamp');
  copy('deprecatedCount', 'count');
  if (out.involvedObject === undefined) out.involvedObject = {};
  return out as KubeObject;
}
