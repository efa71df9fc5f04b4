import { DEFAULT_TAG, tryParseImageRef } from '../image-ref/index.js';

/** The values of `imagePullPolicy`. */
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** The policy the API server can default to (it never defaults to `Never`). */
export type DefaultPullPolicy = Exclude<PullPolicy, 'Never'>;

const POLICIES: ReadonlySet<string> = new Set<PullPolicy>(['Always', 'IfNotPresent', 'Never']);

/** True for exactly `Always`, `IfNotPresent` or `Never` (the API server is case-sensitive). */
export function isPullPolicy(value: unknown): value is PullPolicy {
  return typeof value === 'string' && POLICIES.has(value);
}

/** Why the API server chose a default policy; each has one fixed sentence in {@link explainDefaultPullPolicy}. */
export type DefaultPullPolicyReason = 'no-tag' | 'latest-tag' | 'other-tag' | 'digest-only' | 'unparsable';

/** A defaulted policy with its reason in words. */
export interface DefaultPullPolicyExplanation {
  readonly policy: DefaultPullPolicy;
  readonly reason: DefaultPullPolicyReason;
  readonly because: string;
}

const BECAUSE: Readonly<Record<DefaultPullPolicyReason, string>> = {
  'no-tag': 'no tag and no digest, so the tag defaults to latest',
  'latest-tag': 'the tag is latest',
  'other-tag': 'the tag is not latest',
  'digest-only': 'pinned by digest with no tag',
  unparsable: 'the reference does not parse (the kubelet will fail it with InvalidImageName)',
};

/**
 * The `imagePullPolicy` the API server stores when a container leaves it empty, and why
 * (k/k `SetDefaults_Container` over `parsers.ParseImageName`): `Always` when the tag is exactly
 * `latest`, counting a reference with neither tag nor digest as `latest`, else `IfNotPresent`.
 * `name:latest@sha256:…` is `Always` (the tag is literally `latest`); an unparsable image is
 * `IfNotPresent` because defaulting ignores the parse error.
 */
export function explainDefaultPullPolicy(image: string): DefaultPullPolicyExplanation {
  const ref = tryParseImageRef(image);
  let reason: DefaultPullPolicyReason;
  if (ref === undefined) reason = 'unparsable';
  else if (ref.tag === undefined) reason = ref.digest === undefined ? 'no-tag' : 'digest-only';
  else reason = ref.tag === DEFAULT_TAG ? 'latest-tag' : 'other-tag';
  const policy = reason === 'no-tag' || reason === 'latest-tag' ? 'Always' : 'IfNotPresent';
  return { policy, reason, because: BECAUSE[reason] };
}

/** The `imagePullPolicy` the API server defaults an empty field to for `image`. */
export function defaultPullPolicy(image: string): DefaultPullPolicy {
  return explainDefaultPullPolicy(image).policy;
}

/**
 * The policy a container runs with: `explicit` when it is set, else the API default for `image`.
 * Remember the default is stored once: a later image change keeps the stored policy, so for live
 * objects read the stored field rather than calling this on the new image.
 */
export function effectivePullPolicy(image: string, explicit?: PullPolicy | '' | null): PullPolicy {
  return explicit === undefined || explicit === null || explicit === '' ? defaultPullPolicy(image) : explicit;
}
