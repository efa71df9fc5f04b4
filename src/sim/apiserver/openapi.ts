import { apiVersionOf, RESOURCES, type ResourceInfo } from './resources.js';

/**
 * Just enough OpenAPI v3 for kubectl. `kubectl apply/create` validate with `--validate=strict`,
 * which asks `/openapi/v3` whether the resource's PATCH accepts the `fieldValidation` query
 * parameter; when it does, validation is left to the server and no schemas are needed. The
 * PATCH operations carry no request body on purpose: kubectl then computes strategic merge
 * patches from its compiled-in types instead of looking for schemas. (kubectl asks for
 * `/openapi/v2` only as protobuf; a 404 there is a quiet fallback.)
 */
export function openApiRoot(): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const path of groupVersionPaths()) {
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(path)}` };
  }
  return { paths };
}

function groupVersionPaths(): string[] {
  return [...new Set(RESOURCES.map((r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`)))];
}

const PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
  name,
  in: 'query',
  description: name,
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

/** The OpenAPI v3 document of `path` (`api/v1`, `apis/apps/v1`), or undefined. */
export function openApiGroupVersion(path: string): Record<string, unknown> | undefined {
  const infos = RESOURCES.filter(
    (r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`) === path,
  );
  if (!infos.length) return undefined;
  const paths: Record<string, unknown> = {};
  for (const info of infos)
    paths[objectPath(info)] = { patch: operation(info, 'patch'), put: operation(info, 'replace') };
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.5+k3s1' },
    paths,
    components: { schemas: {} },
  };
}

function objectPath(info: ResourceInfo): string {
  const prefix = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  return info.namespaced
    ? `${prefix}/namespaces/{namespace}/${info.plural}/{name}`
    : `${prefix}/${info.plural}/{name}`;
}

function operation(info: ResourceInfo, verb: string): Record<string, unknown> {
  return {
    operationId: `${verb}${info.kind}`,
    parameters: PARAMETERS,
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': verb === 'patch' ? 'patch' : 'put',
    'x-kubernetes-group-version-kind': { group: info.group, version: info.version, kind: info.kind },
  };
}

function hashOf(path: string): string {
  let hash = 0x811c9dc5;
  for (const ch of `${path}:${apiVersionOf(RESOURCES[0]!)}`)
    hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  return (hash >>> 0).toString(16).toUpperCase().padStart(8, '0').repeat(16);
}

/** The response type (clients ask with `…spec.v2@v1.0+protobuf`, which Go's mime parser rejects in a response). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/**
 * `/openapi/v2` as the gnostic protobuf kubectl ≤1.27 reads for validation: a document with no
 * definitions, so client-side validation finds no schema and passes, and patches fall back to
 * kubectl's compiled-in types.
 */
export function openApiV2Protobuf(version: string): Uint8Array {
  const field = (number: number, bytes: Uint8Array) => [(number << 3) | 2, ...varint(bytes.length), ...bytes];
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const info = new Uint8Array([...field(1, utf8('Kubernetes')), ...field(2, utf8(version))]);
  return new Uint8Array([...field(1, utf8('2.0')), ...field(2, info)]);
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
