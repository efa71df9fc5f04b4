/** Digests we can verify: the algorithm and the length of its lower-case hex encoding. */
const DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** True for a well-formed `sha256:<64 hex>` or `sha512:<128 hex>` digest. */
export function isDigest(text: string): boolean {
  return DIGEST_PATTERN.test(text);
}

/** The algorithm part of a digest (`sha256`), used to pick the hash when verifying content. */
export function digestAlgorithm(digest: string): string {
  return digest.slice(0, digest.indexOf(':'));
}
