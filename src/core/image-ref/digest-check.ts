import { DIGEST_HEX_LENGTH, GO_DIGEST_ANCHORED } from './grammar.js';

/**
 * Why go-digest v1.0.0 rejects a digest that already matched the reference grammar, in its own
 * words, or undefined when it accepts it. distribution/reference hands the `@…` part to
 * `digest.Parse`, so these are the strings a kubelet prints for a bad digest.
 */
export function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0 || colon === digest.length - 1) return 'invalid checksum digest format';
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const length = Object.hasOwn(DIGEST_HEX_LENGTH, algorithm) ? DIGEST_HEX_LENGTH[algorithm] : undefined;
  if (length === undefined) {
    return GO_DIGEST_ANCHORED.test(digest)
      ? 'unsupported digest algorithm'
      : 'invalid checksum digest format';
  }
  if (encoded.length !== length) return 'invalid checksum digest length';
  if (!/^[a-f0-9]+$/.test(encoded)) return 'invalid checksum digest format';
  return undefined;
}
