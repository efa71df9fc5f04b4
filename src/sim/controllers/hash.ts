import type { PodTemplate } from './objects.js';

/** The label every ReplicaSet of a Deployment and its pods carry: the template's hash. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** The alphabet of apimachinery's `rand.SafeEncodeString`: no vowels, no look-alike digits. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The `pod-template-hash` of a template, computed like the controller's `ComputeHash`: FNV-32a over
 * the template (here its canonical JSON, since Go's struct dump cannot be reproduced), then the
 * collision count as 8 little-endian bytes, then the decimal sum mapped through the safe alphabet.
 */
export function computePodTemplateHash(template: PodTemplate, collisionCount?: number): string {
  let hash = 0x811c9dc5;
  const feed = (byte: number) => {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  };
  for (const byte of new TextEncoder().encode(canonicalJson(template))) feed(byte);
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    for (const byte of bytes) feed(byte);
  }
  return safeEncode(String(hash >>> 0));
}

/** apimachinery's `rand.SafeEncodeString`: each character mapped by its code into the alphabet. */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/**
 * Whether two pod templates are the same apart from `pod-template-hash` (the controller's
 * `EqualIgnoreHash`): how a Deployment finds the ReplicaSet of its current template, and how a
 * rollback to an old template lands on that template's old ReplicaSet.
 */
export function templatesEqualIgnoringHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return templateIdentity(a) === templateIdentity(b);
}

/** The text two templates share exactly when they are equal apart from `pod-template-hash`. */
export function templateIdentity(template: PodTemplate | undefined): string {
  return canonicalJson(withoutHash(template));
}

function withoutHash(template: PodTemplate | undefined): unknown {
  if (!template) return {};
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  const metadata: Record<string, unknown> = { ...(template.metadata ?? {}) };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  else delete metadata.labels;
  return { ...template, metadata };
}

/** JSON with object keys sorted at every level and null fields dropped, so equal objects give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    // A field set to null is the same as an absent one in the API (kubectl's rollback patch sends
    // `creationTimestamp: null` inside the template, which must still match the old ReplicaSet).
    .filter(([, item]) => item !== undefined && item !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}
