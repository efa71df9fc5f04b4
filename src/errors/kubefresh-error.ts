/** The phases an error can come from; the prefix of every {@link ErrorCode}. */
export type ErrorPhase =
  | 'USAGE'
  | 'CONFIG'
  | 'IO'
  | 'REF'
  | 'MANIFEST'
  | 'LINT'
  | 'REGISTRY'
  | 'BUILD'
  | 'KUBE'
  | 'ROLLOUT'
  | 'DEPLOY'
  | 'SIM'
  | 'INTERNAL';

/** A stable error code: `<PHASE>_<REASON>`, e.g. `REF_INVALID_FORMAT`, `REGISTRY_UNAUTHORIZED`. */
export type ErrorCode = `${ErrorPhase}_${string}`;

const BRAND = Symbol.for('kubefresh.error');

export interface KubefreshErrorOptions {
  /** What the user can do about it, one sentence or a command. */
  readonly hint?: string;
  /** The lower-level error this one explains. Never rendered unless verbose. */
  readonly cause?: unknown;
  /** Structured facts for JSON output (never credentials). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The one error type of kubefresh: a stable code, a message quoting the input, and a hint. */
export class KubefreshError extends Error {
  override readonly name: string = 'KubefreshError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: KubefreshErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The phase prefix of the code (`REF`, `REGISTRY`, …). */
  get phase(): ErrorPhase {
    return this.code.slice(0, this.code.indexOf('_')) as ErrorPhase;
  }

  toJSON(): { code: ErrorCode; message: string; hint?: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: { ...this.details } }),
    };
  }
}

/** True for a {@link KubefreshError}, even one made by another copy of this package (another realm). */
export function isKubefreshError(value: unknown): value is KubefreshError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
