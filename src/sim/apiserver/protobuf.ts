import { errors } from './status.js';

/**
 * Typed kubectl clients (`kubectl create deployment|configmap|secret|namespace|serviceaccount`)
 * send bodies as `application/vnd.kubernetes.protobuf` and do not fall back to JSON. This decodes
 * those bodies for the kinds kubectl creates that way: the `k8s\0` magic, a `runtime.Unknown`
 * envelope, then the object by the field numbers of k8s.io/api `generated.proto`. Fields outside
 * this table are skipped. Non-pointer scalars are always encoded, so zero values of those are
 * dropped, as JSON's `omitempty` would.
 */

type FieldType =
  | 'string'
  | 'bytes'
  | 'raw'
  | 'int'
  | 'bool'
  | 'time'
  | 'intstr'
  | 'quantity'
  | { map: 'string' | 'bytes' | 'quantity' }
  | { message: string };

/** [json name, type, repeated?, pointer? (zero is meaningful)] */
type Field = readonly [string, FieldType, boolean?, boolean?];
type Message = Readonly<Record<number, Field>>;

const m = (message: string) => ({ message });
const STRING_MAP = { map: 'string' } as const;

const MESSAGES: Readonly<Record<string, Message>> = {
  ObjectMeta: {
    1: ['name', 'string'],
    2: ['generateName', 'string'],
    3: ['namespace', 'string'],
    5: ['uid', 'string'],
    6: ['resourceVersion', 'string'],
    7: ['generation', 'int'],
    8: ['creationTimestamp', 'time'],
    9: ['deletionTimestamp', 'time'],
    10: ['deletionGracePeriodSeconds', 'int', false, true],
    11: ['labels', STRING_MAP],
    12: ['annotations', STRING_MAP],
    13: ['ownerReferences', m('OwnerReference'), true],
    14: ['finalizers', 'string', true],
  },
  OwnerReference: {
    1: ['kind', 'string'],
    3: ['name', 'string'],
    4: ['uid', 'string'],
    5: ['apiVersion', 'string'],
    6: ['controller', 'bool', false, true],
    7: ['blockOwnerDeletion', 'bool', false, true],
  },
  LabelSelector: {
    1: ['matchLabels', STRING_MAP],
    2: ['matchExpressions', m('LabelSelectorRequirement'), true],
  },
  LabelSelectorRequirement: {
    1: ['key', 'string'],
    2: ['operator', 'string'],
    3: ['values', 'string', true],
  },
  Deployment: {
    1: ['metadata', m('ObjectMeta')],
    2: ['spec', m('DeploymentSpec')],
    3: ['status', m('Empty')],
  },
  DeploymentSpec: {
    1: ['replicas', 'int', false, true],
    2: ['selector', m('LabelSelector')],
    3: ['template', m('PodTemplateSpec')],
    4: ['strategy', m('DeploymentStrategy')],
    5: ['minReadySeconds', 'int'],
    6: ['revisionHistoryLimit', 'int', false, true],
    7: ['paused', 'bool'],
    9: ['progressDeadlineSeconds', 'int', false, true],
  },
  DeploymentStrategy: { 1: ['type', 'string'], 2: ['rollingUpdate', m('RollingUpdateDeployment')] },
  RollingUpdateDeployment: { 1: ['maxUnavailable', 'intstr'], 2: ['maxSurge', 'intstr'] },
  PodTemplateSpec: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('PodSpec')] },
  Pod: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('PodSpec')], 3: ['status', m('Empty')] },
  PodSpec: {
    2: ['containers', m('Container'), true],
    3: ['restartPolicy', 'string'],
    4: ['terminationGracePeriodSeconds', 'int', false, true],
    5: ['activeDeadlineSeconds', 'int', false, true],
    6: ['dnsPolicy', 'string'],
    7: ['nodeSelector', STRING_MAP],
    8: ['serviceAccountName', 'string'],
    10: ['nodeName', 'string'],
    11: ['hostNetwork', 'bool'],
    14: ['securityContext', m('Empty')],
    15: ['imagePullSecrets', m('LocalObjectReference'), true],
    16: ['hostname', 'string'],
    19: ['schedulerName', 'string'],
    20: ['initContainers', m('Container'), true],
    24: ['priorityClassName', 'string'],
  },
  Container: {
    1: ['name', 'string'],
    2: ['image', 'string'],
    3: ['command', 'string', true],
    4: ['args', 'string', true],
    5: ['workingDir', 'string'],
    6: ['ports', m('ContainerPort'), true],
    7: ['env', m('EnvVar'), true],
    8: ['resources', m('ResourceRequirements')],
    13: ['terminationMessagePath', 'string'],
    14: ['imagePullPolicy', 'string'],
    16: ['stdin', 'bool'],
    17: ['stdinOnce', 'bool'],
    18: ['tty', 'bool'],
    20: ['terminationMessagePolicy', 'string'],
  },
  ContainerPort: {
    1: ['name', 'string'],
    2: ['hostPort', 'int'],
    3: ['containerPort', 'int'],
    4: ['protocol', 'string'],
    5: ['hostIP', 'string'],
  },
  EnvVar: { 1: ['name', 'string'], 2: ['value', 'string'] },
  ResourceRequirements: { 1: ['limits', { map: 'quantity' }], 2: ['requests', { map: 'quantity' }] },
  LocalObjectReference: { 1: ['name', 'string'] },
  ConfigMap: {
    1: ['metadata', m('ObjectMeta')],
    2: ['data', STRING_MAP],
    3: ['binaryData', { map: 'bytes' }],
    4: ['immutable', 'bool', false, true],
  },
  Secret: {
    1: ['metadata', m('ObjectMeta')],
    2: ['data', { map: 'bytes' }],
    3: ['type', 'string'],
    4: ['stringData', STRING_MAP],
    5: ['immutable', 'bool', false, true],
  },
  Namespace: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('NamespaceSpec')], 3: ['status', m('Empty')] },
  NamespaceSpec: { 1: ['finalizers', 'string', true] },
  ServiceAccount: {
    1: ['metadata', m('ObjectMeta')],
    3: ['imagePullSecrets', m('LocalObjectReference'), true],
    4: ['automountServiceAccountToken', 'bool', false, true],
  },
  IntOrString: { 1: ['type', 'int'], 2: ['intVal', 'int'], 3: ['strVal', 'string'] },
  Time: { 1: ['seconds', 'int'], 2: ['nanos', 'int'] },
  Quantity: { 1: ['string', 'string'] },
  Unknown: {
    1: ['typeMeta', m('TypeMeta')],
    2: ['raw', 'raw'],
    3: ['contentEncoding', 'string'],
    4: ['contentType', 'string'],
  },
  TypeMeta: { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] },
  MapEntry: { 1: ['key', 'string'], 2: ['value', 'raw'] },
  Empty: {},
};

export const PROTOBUF_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** Decodes a Kubernetes protobuf body into the JSON object the same request would have sent. */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) {
    throw errors.badRequest(
      'provided object is not a Kubernetes protobuf message (missing "k8s\\x00" prefix)',
    );
  }
  const envelope = decodeMessage(body.subarray(4), 'Unknown') as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
  };
  const kind = envelope.typeMeta?.kind ?? '';
  if (!MESSAGES[kind] || kind === 'Unknown' || kind === 'Empty') {
    throw errors.unsupportedMediaType(PROTOBUF_TYPE, 'application/json, application/yaml');
  }
  const object = decodeMessage(envelope.raw ?? new Uint8Array(), kind);
  return { apiVersion: envelope.typeMeta?.apiVersion, kind, ...object };
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw errors.badRequest('truncated protobuf body');
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  }
  bytes(): Uint8Array {
    const length = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw errors.badRequest(`unsupported protobuf wire type ${wire}`);
  }
}

const text = new TextDecoder();

function decodeMessage(buf: Uint8Array, name: string): Record<string, unknown> {
  const schema = MESSAGES[name] ?? {};
  const out: Record<string, unknown> = {};
  const reader = new Reader(buf);
  while (!reader.done()) {
    const tag = reader.varint();
    const number = Math.floor(tag / 8);
    const wire = tag & 7;
    const field = schema[number];
    if (!field) {
      reader.skip(wire);
      continue;
    }
    const [json, type, repeated, pointer] = field;
    const value = decodeValue(reader, wire, type);
    if (typeof type === 'object' && 'map' in type) {
      const entry = value as [string, unknown];
      if (out[json] === undefined) out[json] = {};
      (out[json] as Record<string, unknown>)[entry[0]] = entry[1];
    } else if (repeated) {
      if (out[json] === undefined) out[json] = [];
      (out[json] as unknown[]).push(value);
    } else if (pointer || !isZero(value)) {
      out[json] = value;
    }
  }
  return out;
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false || value === undefined;
}

function decodeValue(reader: Reader, wire: number, type: FieldType): unknown {
  if (type === 'int') {
    if (wire === 0) return signed(reader.varint());
    reader.skip(wire);
    return 0;
  }
  if (type === 'bool') return reader.varint() !== 0;
  const bytes = reader.bytes();
  if (type === 'raw') return bytes;
  if (type === 'string') return text.decode(bytes);
  if (type === 'bytes') return Buffer.from(bytes).toString('base64');
  if (type === 'time') {
    const t = decodeMessage(bytes, 'Time') as { seconds?: number };
    return t.seconds ? `${new Date(t.seconds * 1000).toISOString().slice(0, 19)}Z` : undefined;
  }
  if (type === 'quantity') return (decodeMessage(bytes, 'Quantity') as { string?: string }).string ?? '0';
  if (type === 'intstr') {
    const v = decodeMessage(bytes, 'IntOrString') as { type?: number; intVal?: number; strVal?: string };
    return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
  }
  if ('map' in type) {
    const entry = decodeMessage(bytes, 'MapEntry') as { key?: string; value?: Uint8Array };
    const raw = Buffer.from(entry.value ?? new Uint8Array());
    const value =
      type.map === 'bytes'
        ? raw.toString('base64')
        : type.map === 'quantity'
          ? ((decodeMessage(raw, 'Quantity') as { string?: string }).string ?? '0')
          : raw.toString('utf8');
    return [entry.key ?? '', value];
  }
  return decodeMessage(bytes, type.message);
}

/** int64/int32 fields are plain varints; negative values come as 10-byte two's complement. */
function signed(n: number): number {
  return n >= 2 ** 63 ? n - 2 ** 64 : n;
}
