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
      const { resourceVersion: _rv, ...metadata } = existing.metadata;
      const count = ((existing.count as number | undefined) ?? 1) + 1;
      this.store.update('events', { ...existing, metadata, count, lastTimestamp: now }, { adopt: true });
      return;
    }
    this.store.create(
      'events',
      {
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
      },
      { adopt: true },
    );
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
  return `${involved.metadata.name}.${fnv1a64(text)}`;
}

/**
 * 64-bit FNV-1a of the UTF-16 code units, as 16 hex digits, computed on two 32-bit halves (BigInt
 * arithmetic cost a second per 60,000 events). Multiplying by the prime 2^40 + 0x1b3 is
 * `h * 0x1b3 + (h << 40)`; only the low half's product carries into the high half.
 */
export function fnv1a64(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const low = lo * 0x1b3; // < 2^41: exact
    hi = (Math.imul(hi, 0x1b3) + Math.floor(low / 0x100000000) + (lo << 8)) >>> 0;
    lo = low >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
