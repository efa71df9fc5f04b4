/**
 * Returns `promise` with a handler attached, for a promise started early and awaited later (a
 * list of nodes fetched while the image is set). Without one, a rejection that lands before the
 * `await` is an unhandled rejection, which ends a Node process mid-transaction; the `await` still
 * sees the error.
 */
export function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
