import { createHash } from 'node:crypto';

/** Matches a sha256 digest as go-digest accepts it: the algorithm and 64 lowercase hex characters. */
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The OCI digest (`sha256:<hex>`) of exact bytes: what registries and containerd address content by. */
export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** True when `text` is a digest this registry can store (sha256 only, like distribution's default). */
export function isDigest(text: string): boolean {
  return SHA256_DIGEST.test(text);
}
