import { KubefreshError } from '../../errors/index.js';
import {
  ANCHORED_IDENTIFIER,
  ANCHORED_NAME,
  DIGEST,
  NAME_TOTAL_LENGTH_MAX,
  REFERENCE,
  SHA256_DIGEST,
} from './grammar.js';

/** The registry every unqualified name belongs to. */
export const DEFAULT_REGISTRY = 'docker.io';
/** Where Docker Hub's registry API actually answers (containerd and docker both map to it). */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
/** The key Docker Hub credentials are stored under in `~/.docker/config.json`. */
export const DOCKER_HUB_CREDENTIAL_KEY = 'https://index.docker.io/v1/';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const DEFAULT_TAG = 'latest';

/**
 * A parsed, normalized image reference (`registry/repository[:tag][@digest]`).
 * `registry` and `repository` are the fully qualified parts (`docker.io`, `library/nginx`);
 * `toString()` gives back the text that was parsed.
 */
export class ImageRef {
  constructor(
    /** The text as written in the manifest. */
    readonly original: string,
    /** Registry host with optional port: `docker.io`, `localhost:5000`, `[::1]:5000`. */
    readonly registry: string,
    /** Path inside the registry, with `library/` added for official Docker Hub images. */
    readonly repository: string,
    /** The tag as written (case kept), or undefined. */
    readonly tag: string | undefined,
    /** `algorithm:hex`, or undefined. */
    readonly digest: string | undefined,
  ) {}

  /** Fully qualified repository name: `docker.io/library/nginx`. */
  name(): string {
    return `${this.registry}/${this.repository}`;
  }

  /** The tag that is pulled: the written tag, or `latest` when there is neither tag nor digest. */
  effectiveTag(): string | undefined {
    return this.tag ?? (this.digest === undefined ? DEFAULT_TAG : undefined);
  }

  /** Fully qualified reference: `docker.io/library/nginx:latest`, `…:1.25@sha256:…`. */
  qualified(): string {
    const tag = this.effectiveTag();
    return `${this.name()}${tag === undefined ? '' : `:${tag}`}${this.digest === undefined ? '' : `@${this.digest}`}`;
  }

  /** The short form people type (`nginx:1.25`, `bitnami/redis`), like docker's FamiliarString. */
  familiar(): string {
    let name = this.name();
    if (this.registry === DEFAULT_REGISTRY) {
      name = this.repository.startsWith(OFFICIAL_REPO_PREFIX)
        ? this.repository.slice(OFFICIAL_REPO_PREFIX.length)
        : this.repository;
      if (name.includes('/') && this.repository.startsWith(OFFICIAL_REPO_PREFIX)) name = this.repository;
    }
    return `${name}${this.tag === undefined ? '' : `:${this.tag}`}${this.digest === undefined ? '' : `@${this.digest}`}`;
  }

  /** The host that serves the registry API (`registry-1.docker.io` for Docker Hub). */
  apiHost(): string {
    return this.registry === DEFAULT_REGISTRY ? DOCKER_HUB_API_HOST : this.registry;
  }

  /** What a registry is asked for: the digest when there is one (containerd pulls by digest), else the tag. */
  manifestReference(): string {
    return this.digest ?? this.effectiveTag()!;
  }

  toString(): string {
    return this.original;
  }

  toJSON(): Record<string, string | undefined> {
    return {
      original: this.original,
      registry: this.registry,
      repository: this.repository,
      tag: this.tag,
      digest: this.digest,
    };
  }
}

/**
 * Parses an image reference exactly as distribution/reference's `ParseNormalizedNamed` does (which
 * is what the kubelet and containerd use). Errors carry the same wording users see in
 * `InvalidImageName` events, prefixed with the quoted input.
 */
export function parseImageRef(text: string): ImageRef {
  if (ANCHORED_IDENTIFIER.test(text)) {
    throw refError(
      'REF_HEX_NAME',
      text,
      `invalid repository name (${text}), cannot specify 64-byte hexadecimal strings`,
    );
  }
  const { domain, remainder } = splitDockerDomain(text);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) {
    throw refError(
      'REF_NOT_LOWERCASE',
      text,
      `invalid reference format: repository name (${remote}) must be lowercase`,
    );
  }
  const full = `${domain}/${remainder}`;
  const match = REFERENCE.exec(full);
  if (!match) {
    if (text === '') throw refError('REF_EMPTY', text, 'repository name must have at least one component');
    if (REFERENCE.test(full.toLowerCase())) {
      throw refError('REF_NOT_LOWERCASE', text, 'repository name must be lowercase');
    }
    throw refError('REF_INVALID_FORMAT', text, 'invalid reference format');
  }
  const nameMatch = ANCHORED_NAME.exec(match[1]!)!;
  const path = nameMatch[2]!;
  if (path.length > NAME_TOTAL_LENGTH_MAX) {
    throw refError(
      'REF_NAME_TOO_LONG',
      text,
      `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
    );
  }
  const digest = match[3];
  if (digest !== undefined) validateDigest(text, digest);
  return new ImageRef(text, nameMatch[1]!, path, match[2], digest);
}

/** Like {@link parseImageRef} but returns undefined instead of throwing. */
export function tryParseImageRef(text: string): ImageRef | undefined {
  try {
    return parseImageRef(text);
  } catch {
    return undefined;
  }
}

function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = slash === -1 ? '' : name.slice(0, slash);
  if (slash === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_REGISTRY;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(slash + 1);
  }
  if (domain === LEGACY_DEFAULT_REGISTRY) domain = DEFAULT_REGISTRY;
  if (domain === DEFAULT_REGISTRY && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

function validateDigest(text: string, digest: string): void {
  if (!DIGEST.test(digest)) throw refError('REF_INVALID_DIGEST', text, 'invalid digest format');
  const algorithm = digest.slice(0, digest.indexOf(':'));
  if (algorithm === 'sha256' && !SHA256_DIGEST.test(digest)) {
    throw refError('REF_INVALID_DIGEST', text, 'invalid checksum digest length');
  }
  if (!['sha256', 'sha384', 'sha512'].includes(algorithm)) {
    throw refError('REF_INVALID_DIGEST', text, 'unsupported digest algorithm');
  }
}

function refError(code: `REF_${string}`, text: string, reason: string): KubefreshError {
  return new KubefreshError(code, `parsing image reference "${text}": ${reason}`, {
    hint: 'image references look like registry.example.com:5000/team/app:v1.2.3 or app@sha256:<64 hex>',
    details: { input: text, reason },
  });
}
