/** What a request addresses, decoded from its path (distribution `registry/api/v2/routes.go`). */
export type RequestKind = 'ping' | 'manifest' | 'blob' | 'upload' | 'tags' | 'catalog' | 'token' | 'unknown';

/** A request path taken apart. `name` is the repository; `reference` a tag, digest or upload id. */
export interface RouteMatch {
  readonly kind: RequestKind;
  readonly name?: string;
  readonly reference?: string;
}

/** OCI repository name grammar (distribution-spec): lowercase path components joined by `/`. */
export const REPOSITORY_NAME =
  /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

/** OCI tag grammar. */
export const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

const ROUTES: readonly [RegExp, RequestKind][] = [
  [/^\/v2\/(.+)\/manifests\/([^/]+)$/, 'manifest'],
  [/^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/, 'upload'],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, 'blob'],
  [/^\/v2\/(.+)\/tags\/list$/, 'tags'],
];

/** Decodes the path of a request (without its query) into a route. */
export function matchRoute(pathname: string): RouteMatch {
  if (pathname === '/v2/' || pathname === '/v2') return { kind: 'ping' };
  if (pathname === '/v2/_catalog') return { kind: 'catalog' };
  if (pathname === '/token') return { kind: 'token' };
  for (const [pattern, kind] of ROUTES) {
    const match = pattern.exec(pathname);
    if (match) return { kind, name: match[1]!, ...(match[2] === undefined ? {} : { reference: match[2] }) };
  }
  return { kind: 'unknown' };
}
