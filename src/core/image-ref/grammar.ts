/**
 * The reference grammar of distribution/reference (`regexp.go`), transcribed piece by piece so each
 * part can be checked against the source. Anchored forms are built at the bottom.
 */
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
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
export const REFERENCE = new RegExp(`^(${namePat})(?::(${tag}))?(?:@(${digest}))?$`);
/** A name split into group 1 = domain (optional) and group 2 = path. */
export const ANCHORED_NAME = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
/** A bare 64-hex identifier, which can never be a repository name. */
export const ANCHORED_IDENTIFIER = /^[a-f0-9]{64}$/;
export const TAG = new RegExp(`^${tag}$`);
export const DIGEST = new RegExp(`^${digest}$`);
/** sha256 digests must be exactly 64 lowercase hex characters (go-digest). */
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** distribution/reference `NameTotalLengthMax`: applies to the path since v0.6.0. */
export const NAME_TOTAL_LENGTH_MAX = 255;
