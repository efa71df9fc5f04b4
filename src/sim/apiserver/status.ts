import { StoreError } from '../store/index.js';
import { qualifiedName, type ResourceInfo } from './resources.js';

/** A field-level reason inside an `Invalid` Status (`details.causes[]`). */
export interface StatusCause {
  readonly reason: string;
  readonly message: string;
  readonly field: string;
}

/** The `Status` object the real API server returns for every failure. */
export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[] };
  code: number;
}

/** A failed request, carrying the Status the server answers with. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly status: StatusObject) {
    super(status.message);
  }
  get code(): number {
    return this.status.code;
  }
}

function failure(code: number, reason: string, message: string, details?: StatusObject['details']): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

function detailsFor(info: ResourceInfo, name: string): NonNullable<StatusObject['details']> {
  return { name, ...(info.group ? { group: info.group } : {}), kind: info.plural };
}

export const errors = {
  notFound: (info: ResourceInfo, name: string) =>
    failure(404, 'NotFound', `${qualifiedName(info)} "${name}" not found`, detailsFor(info, name)),
  alreadyExists: (info: ResourceInfo, name: string) =>
    failure(409, 'AlreadyExists', `${qualifiedName(info)} "${name}" already exists`, detailsFor(info, name)),
  conflict: (info: ResourceInfo, name: string) =>
    failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedName(info)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      detailsFor(info, name),
    ),
  conflictMessage: (info: ResourceInfo, name: string, why: string) =>
    failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedName(info)} "${name}": ${why}`,
      detailsFor(info, name),
    ),
  forbidden: (info: ResourceInfo, name: string, why: string) =>
    failure(
      403,
      'Forbidden',
      `${qualifiedName(info)} "${name}" is forbidden: ${why}`,
      detailsFor(info, name),
    ),
  invalid: (kind: string, group: string, name: string, causes: StatusCause[]) =>
    failure(
      422,
      'Invalid',
      `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${invalidSummary(causes)}`,
      { name, ...(group ? { group } : {}), kind, causes },
    ),
  badRequest: (message: string) => failure(400, 'BadRequest', message),
  /** 422 without field causes: what a patch that cannot apply gets. */
  unprocessable: (message: string) => failure(422, 'UnprocessableEntity', message),
  notFoundPath: () => failure(404, 'NotFound', 'the server could not find the requested resource', {}),
  methodNotAllowed: () =>
    failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}),
  notAcceptable: (supported: string) =>
    failure(406, 'NotAcceptable', `only the following media types are accepted: ${supported}`),
  unsupportedMediaType: (contentType: string, accepted: string) =>
    failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted}`,
      { kind: contentType },
    ),
  expired: (message: string) => failure(410, 'Expired', message),
  internal: (message: string) =>
    failure(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ reason: '', message, field: '' }],
    }),
  unavailable: (message: string) => failure(503, 'ServiceUnavailable', message),
  timeout: (message: string) => failure(504, 'Timeout', message),
};

/** Translates store failures into the Status the API server would return for `info`/`name`. */
export function fromStoreError(error: unknown, info: ResourceInfo, name: string): unknown {
  if (!(error instanceof StoreError)) return error;
  switch (error.reason) {
    case 'NotFound':
      return errors.notFound(info, name);
    case 'AlreadyExists':
      return errors.alreadyExists(info, name);
    case 'Conflict':
      return errors.conflict(info, name);
    case 'Gone':
      return errors.expired(error.message);
    case 'Invalid':
      return errors.invalid(info.kind, info.group, name, [
        { reason: 'FieldValueInvalid', message: error.message, field: 'metadata' },
      ]);
  }
}

export function successStatus(info: ResourceInfo, name: string, uid?: string): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { ...detailsFor(info, name), ...(uid ? { uid } : {}) },
  };
}

/** One cause reads `field: message`; several are bracketed and comma-joined, as the real server does. */
function invalidSummary(causes: StatusCause[]): string {
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  return parts.length === 1 ? parts[0]! : `[${parts.join(', ')}]`;
}
