import type { OciErrorCode } from './errors.js';
import type { RequestKind } from './request-kind.js';

/** Which requests a fault applies to; every given field must match. */
export interface FaultMatcher {
  /** HTTP method(s), e.g. `'HEAD'` or `['GET', 'HEAD']`. */
  readonly method?: string | readonly string[];
  /** What the request addresses: `manifest`, `blob`, `upload`, `tags`, `catalog`, `ping`, `token`. */
  readonly kind?: RequestKind | readonly RequestKind[];
  /** Repository name, exact or by pattern. */
  readonly repository?: string | RegExp;
  /** Tag, digest or upload id in the path. */
  readonly reference?: string;
  /** Any other condition on the request path (query excluded). */
  readonly path?: RegExp;
}

/** A misbehaviour to inject; several effects may combine (latency then an error). */
export interface FaultRule {
  readonly match?: FaultMatcher;
  /** Delay before answering, in milliseconds of real time. */
  readonly latencyMs?: number;
  /** Answer with this status instead (429, 500, 502, 503…) and a distribution error body. */
  readonly status?: number;
  /** The error code for `status`; defaults from the status (429 → TOOMANYREQUESTS, 5xx → UNAVAILABLE/UNKNOWN). */
  readonly code?: OciErrorCode;
  /** Error message for `status`, e.g. Docker Hub's `You have reached your pull rate limit…`. */
  readonly message?: string;
  /** `Retry-After` in seconds, sent with `status`. */
  readonly retryAfter?: number;
  /** Extra response headers (e.g. `RateLimit-Limit`) sent on the answer, faulted or not. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Destroy the connection without answering (the client sees a reset / socket hang up). */
  readonly drop?: boolean;
  /** Answer normally but without `Docker-Content-Digest`, like registries older than distribution 2.3. */
  readonly omitDigest?: boolean;
  /** Apply to the first `times` matching requests only, then expire. Default: forever. */
  readonly times?: number;
}

/** A rule once added: how often it fired, and a way to take it back. */
export interface FaultHandle {
  readonly rule: FaultRule;
  readonly hits: number;
  remove(): void;
}

/** What a request looks like to the matchers. */
export interface FaultTarget {
  readonly method: string;
  readonly kind: RequestKind;
  readonly path: string;
  readonly repository?: string;
  readonly reference?: string;
}

class Installed implements FaultHandle {
  hits = 0;
  constructor(
    readonly rule: FaultRule,
    private readonly owner: FaultSet,
  ) {}
  remove(): void {
    this.owner.delete(this);
  }
}

function oneOf<T>(wanted: T | readonly T[] | undefined, actual: T): boolean {
  if (wanted === undefined) return true;
  return Array.isArray(wanted) ? wanted.includes(actual) : wanted === actual;
}

function matches(matcher: FaultMatcher | undefined, target: FaultTarget): boolean {
  if (!matcher) return true;
  if (!oneOf(matcher.method, target.method)) return false;
  if (!oneOf(matcher.kind, target.kind)) return false;
  if (matcher.reference !== undefined && matcher.reference !== target.reference) return false;
  if (matcher.path && !matcher.path.test(target.path)) return false;
  if (matcher.repository !== undefined) {
    if (target.repository === undefined) return false;
    if (typeof matcher.repository === 'string') return matcher.repository === target.repository;
    return matcher.repository.test(target.repository);
  }
  return true;
}

/** The faults installed on a registry, checked in the order they were added. */
export class FaultSet {
  private rules: Installed[] = [];

  /** Installs a fault; `remove()` on the result uninstalls it. */
  add(rule: FaultRule): FaultHandle {
    const installed = new Installed(rule, this);
    this.rules.push(installed);
    return installed;
  }

  /** Removes every fault. */
  clear(): void {
    this.rules = [];
  }

  /** @internal */
  delete(handle: FaultHandle): void {
    this.rules = this.rules.filter((rule) => rule !== handle);
  }

  /** The rules that apply to this request, counting a hit on each (and expiring used-up ones). */
  take(target: FaultTarget): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const installed of [...this.rules]) {
      if (!matches(installed.rule.match, target)) continue;
      installed.hits++;
      fired.push(installed.rule);
      if (installed.rule.times !== undefined && installed.hits >= installed.rule.times) installed.remove();
    }
    return fired;
  }
}
