/** Why a store operation failed, named after the Kubernetes `Status.reason` it becomes. */
export type StoreFailure = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone' | 'Invalid';

const HTTP_STATUS: Record<StoreFailure, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Invalid: 422,
};

/** A failed store operation; the API server turns it into a `Status` object with `code`. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly reason: StoreFailure;
  readonly code: number;

  constructor(reason: StoreFailure, message: string) {
    super(message);
    this.reason = reason;
    this.code = HTTP_STATUS[reason];
  }
}
