import { KubefreshError } from '../../errors/index.js';
import { digestProblem } from './digest-check.js';
import { ANCHORED_IDENTIFIER, ANCHORED_NAME, NAME_TOTAL_LENGTH_MAX, REFERENCE } from './grammar.js';

/** The registry every unqualified name belongs to. */
export const DEFAULT_REGISTRY = 'docker.io';
/** Where Docker Hub's registry API actually answers (containerd and docker both map to it). */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
/** The key Docker Hub credentials are stored under in `~/.docker/config.json`. */
export const DOCKER_HUB_CREDENTIAL_KEY = 'https://index.docker.io/v1/';
/** The tag a reference without tag and digest means. */
export const DEFAULT_TAG = 'latest';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';

/** Every code {@link parseImageRef} throws. */
export type ImageRefErrorCode =
  | 'REF_EMPTY'
  | 'REF_INVALID_FORMAT'
  | 'REF_NOT_LOWERCASE'
  | 'REF_NAME_TOO_LONG'
  | 'REF_HEX_NAME'
  | 'REF_INVALID_DIGEST'
  | 'REF_UNSUPPORTED_DIGEST';

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
    return withSuffix(this.name(), this.effectiveTag(), this.digest);
  }

  /**
   * The short form people type (`nginx:1.25`, `bitnami/redis`), like docker's `FamiliarString`:
   * `docker.io/` and a single `library/` are dropped and no default tag is added. Unlike docker, it
   * keeps what dropping would change: `docker.io/foo.bar/app` stays (else `foo.bar` would read as
   * a registry), and `library/<64 hex>` keeps `library/` (a bare 64-hex string is an image ID).
   */
  familiar(): string {
    return withSuffix(this.familiarName(), this.tag, this.digest);
  }

  /** The host that serves the registry API (`registry-1.docker.io` for Docker Hub). */
  apiHost(): string {
    return this.registry === DEFAULT_REGISTRY ? DOCKER_HUB_API_HOST : this.registry;
  }

  /** What a registry is asked for: the digest when there is one (containerd pulls by digest), else the tag. */
  manifestReference(): string {
    return this.digest ?? this.effectiveTag()!;
  }

  /**
   * What containerd's CRI pulls and records (distribution/reference `ParseDockerRef`): `name@digest`
   * when there is a digest (any tag is dropped), else `name:tag` with `latest` by default.
   */
  dockerReference(): string {
    return this.digest === undefined
      ? withSuffix(this.name(), this.effectiveTag(), undefined)
      : `${this.name()}@${this.digest}`;
  }

  /**
   * The same reference pinned to `digest`, written the way the user wrote it (`nginx:1.25` becomes
   * `nginx:1.25@sha256:…`; an existing digest is replaced). Throws what {@link parseImageRef}
   * throws for the pinned text: `REF_INVALID_FORMAT` when `digest` is outside the grammar (such as
   * `sha256:abc`), `REF_INVALID_DIGEST` or `REF_UNSUPPORTED_DIGEST` when go-digest rejects it.
   */
  withDigest(digest: string): ImageRef {
    const at = this.original.indexOf('@');
    const text = `${at === -1 ? this.original : this.original.slice(0, at)}@${digest}`;
    const result = analyze(text);
    if (result instanceof ImageRef) return result;
    throw refError(result.code, text, result.reason);
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

  private familiarName(): string {
    if (this.registry !== DEFAULT_REGISTRY) return this.name();
    let path = this.repository;
    if (path.startsWith(OFFICIAL_REPO_PREFIX) && !path.slice(OFFICIAL_REPO_PREFIX.length).includes('/')) {
      path = path.slice(OFFICIAL_REPO_PREFIX.length);
      if (this.tag === undefined && this.digest === undefined && ANCHORED_IDENTIFIER.test(path)) {
        return this.repository;
      }
      return path;
    }
    const first = path.slice(0, path.indexOf('/'));
    return looksLikeDomain(first) ? this.name() : path;
  }
}

/**
 * Parses an image reference exactly as distribution/reference's `ParseNormalizedNamed` does (which
 * is what the kubelet and containerd use), with go-digest v1.0.0 checking the digest. The error's
 * `details.reason` is the library's own wording, the text after `couldn't parse image name "<img>": `
 * in a kubelet `InspectFailed` event; the message prefixes it with the quoted input.
 */
export function parseImageRef(text: string): ImageRef {
  const result = analyze(text);
  if (result instanceof ImageRef) return result;
  throw refError(result.code, text, result.reason);
}

/** Like {@link parseImageRef} but returns undefined instead of throwing. */
export function tryParseImageRef(text: string): ImageRef | undefined {
  const result = analyze(text);
  return result instanceof ImageRef ? result : undefined;
}

interface Problem {
  readonly code: ImageRefErrorCode;
  readonly reason: string;
}

function analyze(text: string): ImageRef | Problem {
  if (ANCHORED_IDENTIFIER.test(text)) {
    return {
      code: 'REF_HEX_NAME',
      reason: `invalid repository name (${text}), cannot specify 64-byte hexadecimal strings`,
    };
  }
  const { domain, remainder } = splitDockerDomain(text);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (goToLower(remote) !== remote) {
    return {
      code: 'REF_NOT_LOWERCASE',
      reason: `invalid reference format: repository name (${remote}) must be lowercase`,
    };
  }
  const full = `${domain}/${remainder}`;
  const match = REFERENCE.exec(full);
  if (!match) {
    const lower = goToLower(full);
    if (lower !== full && REFERENCE.test(lower)) {
      return { code: 'REF_NOT_LOWERCASE', reason: 'repository name must be lowercase' };
    }
    // An empty string fails here too: the domain split turned it into `docker.io/library/`.
    return { code: text === '' ? 'REF_EMPTY' : 'REF_INVALID_FORMAT', reason: 'invalid reference format' };
  }
  const nameMatch = ANCHORED_NAME.exec(match[1]!)!;
  const path = nameMatch[2]!;
  // The length limit counts the path as distribution/reference sees it, which includes the first
  // component when that failed the host grammar but passed as a path (see `splitUnmatchedDomain`).
  if (path.length > NAME_TOTAL_LENGTH_MAX) {
    return {
      code: 'REF_NAME_TOO_LONG',
      reason: `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
    };
  }
  const digest = match[3];
  if (digest !== undefined) {
    const problem = digestProblem(digest);
    if (problem !== undefined) {
      const code =
        problem === 'unsupported digest algorithm' ? 'REF_UNSUPPORTED_DIGEST' : 'REF_INVALID_DIGEST';
      return { code, reason: problem };
    }
  }
  const [registry, repository] =
    nameMatch[1] === undefined ? splitUnmatchedDomain(path) : [nameMatch[1], path];
  return new ImageRef(text, registry, repository, match[2], digest);
}

/**
 * A first component chosen as the domain (it has a `.`) that fails the host grammar but is a valid
 * path component, such as `my_registry.local/app`: distribution/reference then returns the whole
 * name as a path with an empty domain, and the kubelet accepts it. containerd's resolver takes the
 * text before the first `/` as the host, so that is the registry here too.
 */
function splitUnmatchedDomain(path: string): [string, string] {
  const slash = path.indexOf('/');
  return [path.slice(0, slash), path.slice(slash + 1)];
}

/** distribution/reference `splitDockerDomain`: which first component is a registry. */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  if (slash === -1) return { domain: DEFAULT_REGISTRY, remainder: OFFICIAL_REPO_PREFIX + name };
  const first = name.slice(0, slash);
  let domain = DEFAULT_REGISTRY;
  let remainder = name;
  if (first === LEGACY_DEFAULT_REGISTRY) {
    remainder = name.slice(slash + 1);
  } else if (looksLikeDomain(first)) {
    domain = first;
    remainder = name.slice(slash + 1);
  }
  if (domain === DEFAULT_REGISTRY && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

/** `localhost`, anything with `.` or `:`, or anything with uppercase (paths are lowercase only). */
function looksLikeDomain(component: string): boolean {
  return component === 'localhost' || /[.:]/.test(component) || goToLower(component) !== component;
}

/**
 * Go's `strings.ToLower`, which maps per code point: it differs from `toLowerCase` for `İ`
 * (U+0130), which Go lowers to a plain `i` and JavaScript to `i` plus a combining dot.
 */
function goToLower(text: string): string {
  return text.replace(/\u0130/g, 'i').toLowerCase();
}

function withSuffix(name: string, tag: string | undefined, digest: string | undefined): string {
  return `${name}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`;
}

const QUOTE_LIMIT = 300;

function refError(code: ImageRefErrorCode, text: string, reason: string): KubefreshError {
  const shown = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
  const suffix = text.length > QUOTE_LIMIT ? ` (${text.length} characters)` : '';
  return new KubefreshError(code, `parsing image reference ${JSON.stringify(shown)}${suffix}: ${reason}`, {
    hint: hintFor(code, text),
    details: { input: text, reason },
  });
}

function hintFor(code: ImageRefErrorCode, text: string): string {
  switch (code) {
    case 'REF_NOT_LOWERCASE': {
      const suggestion = lowercaseSuggestion(text);
      const why = 'repository names are lowercase only; tags may use uppercase';
      return suggestion === undefined ? why : `${why}: did you mean ${JSON.stringify(suggestion)}?`;
    }
    case 'REF_HEX_NAME':
      return 'a bare 64-hex string is an image ID, not a name: write name@sha256:<64 hex>';
    case 'REF_NAME_TOO_LONG':
      return `shorten the repository path (after the registry) to at most ${NAME_TOTAL_LENGTH_MAX} characters`;
    case 'REF_INVALID_DIGEST':
      return 'a digest is sha256: followed by exactly 64 lowercase hex characters (sha384: 96, sha512: 128)';
    case 'REF_UNSUPPORTED_DIGEST':
      return 'the digest algorithms the kubelet accepts are sha256, sha384 and sha512';
    case 'REF_EMPTY':
      return 'give an image, e.g. nginx:1.27 or registry.example.com:5000/team/app:v1.2.3';
    default:
      if (text.trim() !== text)
        return 'remove the leading or trailing whitespace (the API server rejects it)';
      return 'image references look like registry.example.com:5000/team/app:v1.2.3 or app@sha256:<64 hex>';
  }
}

/** The reference with its name lowercased and tag and digest kept, when that parses. */
function lowercaseSuggestion(text: string): string | undefined {
  let name = text;
  let suffix = '';
  const at = name.indexOf('@');
  if (at !== -1) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  }
  const colon = name.indexOf(':', name.lastIndexOf('/') + 1);
  if (colon !== -1) {
    suffix = name.slice(colon) + suffix;
    name = name.slice(0, colon);
  }
  const candidate = goToLower(name) + suffix;
  return candidate !== text && analyze(candidate) instanceof ImageRef ? candidate : undefined;
}
