import type { Deployment } from '../objects.js';

/** The API defaults for a RollingUpdate strategy's limits. */
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';

/**
 * An int-or-percent scaled against `total`, as apimachinery's `GetScaledValueFromIntOrPercent`:
 * "25%" of 10 is 2.5, rounded up for maxSurge and down for maxUnavailable.
 */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) {
    const asInt = Number(value);
    if (Number.isInteger(asInt)) return asInt;
    throw new Error(
      `invalid value for IntOrString: invalid value "${value}": must be an integer or a percentage`,
    );
  }
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function desiredReplicas(d: Deployment): number {
  return d.spec.replicas ?? 1;
}

/**
 * `ResolveFenceposts`: both limits scaled against the desired count; when both come out 0 the
 * controller allows one unavailable pod, or a rollout could never start.
 */
export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const desired = desiredReplicas(d);
  const rolling = d.spec.strategy?.rollingUpdate;
  const surge = scaledValue(rolling?.maxSurge ?? DEFAULT_MAX_SURGE, desired, true);
  let unavailable = scaledValue(rolling?.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** How many pods above `replicas` a rolling update may run (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  return resolveFenceposts(d).surge;
}

/** How many of `replicas` may be unavailable during a rolling update (0 for Recreate). */
export function maxUnavailable(d: Deployment): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  const { unavailable } = resolveFenceposts(d);
  return Math.min(unavailable, desired);
}
