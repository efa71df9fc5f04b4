import type { Clock } from '../../ports/clock.js';
import { apiTime } from '../clock.js';
import type { ObjectStore } from '../store/index.js';
import type { KubeObject } from '../store/types.js';

/** Which component reports an event, as `source` / `reportingController` show it. */
export interface EventSource {
  readonly component: string;
  readonly host?: string;
}

export interface EventInput {
  readonly involved: KubeObject;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  /** e.g. `spec.containers{app}`: lets tools tie a kubelet event to one container. */
  readonly fieldPath?: string;
}

/**
 * Records core/v1 Events the way the real event recorder does: one Event per (object, reason,
 * message, source); repeats bump `count` and `lastTimestamp` instead of creating new objects, so
 * `kubectl describe` shows `(x4 over 2m)`.
 */
export class EventRecorder {
  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
    private readonly source: EventSource,
  ) {}

  record(input: EventInput): void {
    const { involved } = input;
    const namespace = involved.metadata.namespace ?? 'default';
    const key = eventKey(involved, input, this.source);
    const now = apiTime(this.clock.now());
    const existing = this.store.get('events', namespace, key);
    if (existing) {
      const next = structuredClone(existing);
      next.count = ((existing.count as number | undefined) ?? 1) + 1;
      next.lastTimestamp = now;
      delete next.metadata.resourceVersion;
      this.store.update('events', next);
      return;
    }
    this.store.create('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: key, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: involved.metadata.namespace,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
        ...(input.fieldPath ? { fieldPath: input.fieldPath } : {}),
      },
      reason: input.reason,
      message: input.message,
      type: input.type,
      source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
      firstTimestamp: now,
      lastTimestamp: now,
      eventTime: null,
      count: 1,
    });
  }
}

/** Event names are `<object>.<hex>`; the hex is stable per (object, reason, message, source). */
function eventKey(involved: KubeObject, input: EventInput, source: EventSource): string {
  const text = [
    involved.metadata.uid,
    input.fieldPath ?? '',
    input.reason,
    input.message,
    source.component,
    source.host ?? '',
  ].join('\u0000');
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `${involved.metadata.name}.${hash.toString(16).padStart(16, '0')}`;
}
