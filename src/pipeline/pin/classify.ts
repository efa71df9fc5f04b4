import { isKubefreshError } from '../../errors/index.js';
import type { PinFailureClass } from './types.js';

const REGISTRY_CLASSES: Readonly<Record<string, PinFailureClass>> = {
  REGISTRY_NOT_FOUND: 'not found',
  REGISTRY_UNAUTHORIZED: 'unauthorized',
  REGISTRY_DENIED: 'denied',
  REGISTRY_RATE_LIMITED: 'rate limited',
  REGISTRY_UNREACHABLE: 'unreachable',
  REGISTRY_TLS: 'tls',
  REGISTRY_PROTOCOL: 'protocol',
};

/** The registry's answer class for a lookup failure; anything that is not a kubefresh error is a bug and rethrown. */
export function classifyLookupError(err: unknown): {
  class: PinFailureClass;
  code: string;
  message: string;
  hint?: string;
} {
  if (!isKubefreshError(err)) throw err;
  const cls = REGISTRY_CLASSES[err.code] ?? (err.phase === 'REF' ? 'invalid reference' : 'registry error');
  return { class: cls, code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
}
