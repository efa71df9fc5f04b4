/** `sha256:0123456789ab`: a digest shortened for messages (evidence keeps the full one). */
export function shortDigest(digest: string | undefined): string {
  if (digest === undefined) return 'no digest';
  const colon = digest.indexOf(':');
  return colon === -1 ? digest : digest.slice(0, colon + 13);
}

/** `1 pod`, `3 pods`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export interface PodPlace {
  readonly pod: string;
  readonly node?: string | undefined;
}

/** `pod web-1 on node-2`, or `3 pods on node-1, node-2`. */
export function podsPhrase(pods: readonly PodPlace[]): string {
  if (pods.length === 1) {
    const only = pods[0]!;
    return `pod ${only.pod}${only.node === undefined ? '' : ` on ${only.node}`}`;
  }
  const nodes = unique(pods.map((p) => p.node).filter((n): n is string => n !== undefined));
  return `${count(pods.length, 'pod')}${nodes.length === 0 ? '' : ` on ${nodes.join(', ')}`}`;
}

/** `is`/`are` for a list of pods. */
export function verb(pods: readonly unknown[], singular: string, plural: string): string {
  return pods.length === 1 ? singular : plural;
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
