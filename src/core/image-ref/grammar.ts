/**
 * The reference grammar of distribution/reference (`regexp.go`), transcribed piece by piece so each
 * part can be checked against the source. Anchored forms are built at the bottom.
 *
 * JavaScript regular expressions backtrack where Go's RE2 does not, but both pick the same
 * leftmost-first submatches, so the captured name, tag and digest are the ones Go reports. `\w`
 * without the `u` flag is ASCII-only, as in Go.
 */
const alphanumeric = '[a-z0-9]+';
/** One period, one or two underscores, or any number of dashes. */
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
/** Compressed or full IPv6 in brackets; zone identifiers and dotted IPv4-mapped forms are excluded. */
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const optionalPort = '(?::[0-9]+)?';
const domainAndPort = `${host}${optionalPort}`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;

/** `name[:tag][@digest]` with groups 1 = name, 2 = tag, 3 = digest. */
export const REFERENCE: RegExp = new RegExp(`^(${namePat})(?::(${tag}))?(?:@(${digest}))?$`);
/** A name split into group 1 = domain (optional) and group 2 = path. */
export const ANCHORED_NAME: RegExp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
/** A bare 64-hex identifier (an image ID), which can never be a repository name. */
export const ANCHORED_IDENTIFIER: RegExp = /^[a-f0-9]{64}$/;
export const TAG: RegExp = new RegExp(`^${tag}$`);
export const DIGEST: RegExp = new RegExp(`^${digest}$`);
/** distribution/reference `RepositoryNameTotalLengthMax`: applies to the path only since v0.6.0. */
export const NAME_TOTAL_LENGTH_MAX = 255;

/**
 * go-digest v1.0.0 (the version Kubernetes and containerd vendor): the looser `DigestRegexp` it
 * checks only for algorithms it does not know, to choose between "format" and "unsupported".
 */
export const GO_DIGEST_ANCHORED: RegExp = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** The algorithms go-digest registers, with their hex length. Hex must be lowercase. */
export const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = {
  sha256: 64,
  sha384: 96,
  sha512: 128,
};
