import type { Finding } from '../findings/index.js';
import { parseImageRef, tryParseImageRef } from '../image-ref/index.js';
import {
  classifyPullError,
  type MissingConfig,
  parseMissingConfig,
  pullErrorCause,
  REGISTRY_ERROR_CODES,
  WAITING_REASONS,
} from './classify.js';
import { CODE_INFO, type DoctorCode } from './codes.js';
import { aboutContainer, podContainer, type SnapshotIndex, statusOf } from './context.js';
import { type RemedyContext, recommend } from './recommend.js';
import { count, type PodPlace, podsPhrase, unique, verb } from './text.js';
import type { ContainerSpec, PodObject, RegistryFact } from './types.js';
import { type Unit, unitRef } from './units.js';

/** One failing pod as triage saw it. */
interface Failure {
  readonly code: DoctorCode;
  readonly pod: string;
  readonly node?: string;
  readonly image?: string;
  /** The kubelet's words (waiting message or event), for evidence. */
  readonly detail: string;
  readonly restartCount?: number;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly missing?: MissingConfig;
}

const PULL_FAILED = /^Failed to pull image "/;

/** Why container `spec.name` of `pod` is not running, if it is a failure doctor knows. */
function podFailure(
  pod: PodObject,
  spec: ContainerSpec,
  index: SnapshotIndex,
  registry: ClusterRegistry,
): Failure | undefined {
  const name = pod.metadata?.name ?? '';
  const node = pod.spec?.nodeName;
  const status = statusOf(pod, spec.name);
  const image = podContainer(pod, spec.name)?.image ?? spec.image;
  const base = {
    pod: name,
    ...(node === undefined ? {} : { node }),
    ...(image === undefined ? {} : { image }),
  };
  const events = index
    .eventsFor('Pod', pod.metadata?.namespace, name)
    .filter((e) => aboutContainer(e, spec.name));
  const lastTerminated = status?.lastState?.terminated ?? status?.state?.terminated;
  if (lastTerminated?.reason === 'OOMKilled') {
    return {
      ...base,
      code: 'OOM_KILLED',
      detail: lastTerminated.message ?? 'OOMKilled',
      restartCount: status?.restartCount ?? 0,
      exitCode: lastTerminated.exitCode ?? 137,
      reason: 'OOMKilled',
    };
  }
  const waiting = status?.state?.waiting;
  const reason = waiting?.reason;
  const mapped = reason === undefined ? undefined : WAITING_REASONS[reason];
  if (mapped === undefined) {
    // A missing ConfigMap or Secret volume keeps the pod in ContainerCreating; only events say why.
    if (reason !== undefined && reason !== 'ContainerCreating') return undefined;
    // The pod's own status outranks any event: a container that runs or ran mounted its volumes.
    if (status?.state?.running !== undefined || lastTerminated !== undefined || status?.ready)
      return undefined;
    if (pod.status?.phase !== undefined && pod.status.phase !== 'Pending') return undefined;
    const mount = events.findLast(
      (e) => e.reason === 'FailedMount' && parseMissingConfig(e.message ?? '') !== undefined,
    );
    if (mount === undefined) return undefined;
    return {
      ...base,
      code: 'CONFIG_MISSING',
      detail: mount.message ?? '',
      missing: parseMissingConfig(mount.message ?? '')!,
    };
  }
  const said = reason ?? '';
  if (mapped === 'pull') {
    const failed = events.findLast((e) => e.reason === 'Failed' && PULL_FAILED.test(e.message ?? ''));
    const texts = [waiting?.message ?? '', failed?.message ?? ''];
    let code: DoctorCode | undefined;
    for (const text of texts) code ??= classifyPullError(text);
    const detail = pullErrorCause(
      failed?.message ?? (reason === 'ErrImagePull' ? (waiting?.message ?? '') : '') ?? '',
    );
    if (code === undefined) {
      const fact = image === undefined ? undefined : registry.fact(image);
      code =
        (fact !== undefined && !fact.ok ? REGISTRY_ERROR_CODES[fact.errorClass] : undefined) ??
        'PULL_UNREACHABLE';
    }
    return { ...base, code, detail: detail || (waiting?.message ?? said), reason: said };
  }
  if (mapped === 'CONFIG_MISSING') {
    const message = waiting?.message ?? '';
    const missing = parseMissingConfig(message);
    return { ...base, code: mapped, detail: message, ...(missing === undefined ? {} : { missing }) };
  }
  if (mapped === 'CRASH_LOOP') {
    return {
      ...base,
      code: mapped,
      detail: waiting?.message ?? said,
      restartCount: status?.restartCount ?? 0,
      ...(lastTerminated?.exitCode === undefined ? {} : { exitCode: lastTerminated.exitCode }),
      ...(lastTerminated?.reason === undefined ? {} : { reason: lastTerminated.reason }),
    };
  }
  return { ...base, code: mapped, detail: waiting?.message ?? said, reason };
}

/** Registry facts by spec image text. */
export interface ClusterRegistry {
  fact(image: string): RegistryFact | undefined;
}

function subject(unit: Unit, container: string | undefined, failures: readonly PodPlace[]) {
  return {
    ...unitRef(unit),
    ...(container === undefined ? {} : { container }),
    ...(failures.length === 1 ? { pod: failures[0]!.pod } : {}),
    ...(failures.length === 1 && failures[0]!.node !== undefined ? { node: failures[0]!.node } : {}),
  };
}

/** The reason behind a pull failure, in words, combining the node's error with kubefresh's probe. */
function pullCause(code: DoctorCode, image: string, detail: string, fact: RegistryFact | undefined): string {
  const ref = tryParseImageRef(image);
  const host = ref?.registry ?? 'the registry';
  const tagsNote =
    fact !== undefined && fact.tags !== undefined && fact.tags.length > 0
      ? `; tags there: ${fact.tags.join(', ')}`
      : '';
  switch (code) {
    case 'PULL_NOT_FOUND': {
      if (detail.includes('no match for platform'))
        return `the image has no entry for the node's platform (${detail})`;
      const what = ref?.digest !== undefined ? `digest ${ref.digest}` : `tag ${ref?.effectiveTag() ?? image}`;
      const probe =
        fact !== undefined && !fact.ok && fact.errorClass === 'not-found'
          ? `registry: ${fact.message}`
          : `node: ${detail}`;
      return `${what} is not in ${ref?.name() ?? image} (${probe})${tagsNote}`;
    }
    case 'PULL_AUTH':
      return `${host} refused the pull without valid credentials (${detail})`;
    case 'PULL_UNREACHABLE':
      return ref !== undefined && /^(localhost|127\.|\[::1\])/.test(ref.registry)
        ? `the node cannot reach ${host}, which on each node means that node itself (${detail})`
        : `the node cannot reach ${host} (${detail})`;
    case 'PULL_TLS':
      return `the node does not trust the certificate of ${host} (${detail})`;
    case 'PULL_HTTP_TO_HTTPS':
      return `${host} serves plain HTTP but the node used HTTPS (${detail})`;
    case 'PULL_RATE_LIMITED':
      return `${host} rate limited the pull (${detail})`;
    default:
      return detail;
  }
}

function message(
  code: DoctorCode,
  group: readonly Failure[],
  container: string,
  fact: RegistryFact | undefined,
  logs: readonly string[] | undefined,
): string {
  const first = group[0]!;
  const who = podsPhrase(group);
  const image = first.image ?? '';
  if (code.startsWith('PULL_') && code !== 'PULL_NEVER_NOT_PRESENT') {
    return `${who} cannot pull ${image}: ${pullCause(code, image, first.detail, fact)}`;
  }
  switch (code) {
    case 'PULL_NEVER_NOT_PRESENT':
      return `${who} cannot start ${container}: ${image} is not on the node and imagePullPolicy is Never`;
    case 'INVALID_IMAGE_NAME': {
      let reason = first.detail;
      try {
        parseImageRef(image);
      } catch (error) {
        reason = String((error as { details?: { reason?: string } }).details?.reason ?? reason);
      }
      return `${who} cannot start ${container}: ${JSON.stringify(image)} is not a valid image reference (${reason})`;
    }
    case 'CONFIG_MISSING': {
      const m = first.missing;
      const what =
        m === undefined
          ? first.detail
          : m.key !== undefined
            ? `key ${m.key} is missing from ${m.kind} ${m.namespace === undefined ? '' : `${m.namespace}/`}${m.name}`
            : `${m.kind} ${m.name} does not exist${m.volume === undefined ? '' : ` (volume ${m.volume})`}`;
      return `${who} cannot start ${container}: ${what}`;
    }
    case 'CRASH_LOOP': {
      const restarts = Math.max(...group.map((f) => f.restartCount ?? 0));
      const exit =
        first.exitCode === undefined
          ? 'no exit code yet'
          : `exit code ${first.exitCode}${first.reason === undefined ? '' : ` (${first.reason})`}`;
      const last =
        logs === undefined || logs.length === 0 ? '' : `; last log line: ${JSON.stringify(logs.at(-1))}`;
      return `${who} ${verb(group, 'is', 'are')} crash-looping in ${container}: ${exit}, ${count(restarts, 'restart')}${last}`;
    }
    case 'OOM_KILLED': {
      const restarts = Math.max(...group.map((f) => f.restartCount ?? 0));
      return `${who} ${verb(group, 'was', 'were')} OOMKilled in ${container} (exit code ${first.exitCode ?? 137}), ${count(restarts, 'restart')}`;
    }
    default:
      return `${who}: ${first.detail}`;
  }
}

/** Finds where most pulls succeed: a node running this image, for the localhost mirror snippet. */
function reachableRegistry(
  unit: Unit,
  image: string,
  registryHost: string,
  index: SnapshotIndex,
): string | undefined {
  const port = registryHost.split(':').at(-1);
  for (const pod of [...unit.currentPods, ...unit.oldPods]) {
    const node = pod.spec?.nodeName;
    if (node === undefined) continue;
    const running = pod.status?.containerStatuses?.some(
      (s) => s.imageID && s.state?.running !== undefined && podContainer(pod, s.name)?.image === image,
    );
    const address = running ? index.addressOf(node) : undefined;
    if (address !== undefined && port !== undefined && /^\d+$/.test(port)) return `${address}:${port}`;
  }
  return undefined;
}

/** Failure triage for every container of a unit: pull errors by cause, config, crashes, OOM. */
export function triageUnit(unit: Unit, index: SnapshotIndex, registry: ClusterRegistry): Finding[] {
  const findings: Finding[] = [];
  const pods = [...unit.currentPods, ...unit.oldPods];
  for (const spec of unit.containers) {
    const groups = new Map<DoctorCode, Failure[]>();
    for (const pod of pods) {
      const failure = podFailure(pod, spec, index, registry);
      if (failure === undefined) continue;
      const list = groups.get(failure.code);
      if (list) list.push(failure);
      else groups.set(failure.code, [failure]);
    }
    for (const [code, group] of groups) {
      const first = group[0]!;
      const image = first.image ?? spec.image ?? '';
      const fact = registry.fact(image);
      const ref = tryParseImageRef(image);
      const logKey = `${unit.namespace ?? ''}/${first.pod}/${spec.name}`;
      const logs = index.snapshot.logs?.[logKey];
      const context: RemedyContext = {
        ...unitRef(unit),
        container: spec.name,
        specImage: image,
        ...(ref === undefined ? {} : { registryHost: ref.registry, repository: ref.name() }),
        nodes: unique(group.map((f) => f.node).filter((n): n is string => n !== undefined)),
        pod: first.pod,
        canRollBack: unit.canRollBack,
        ...(first.missing === undefined ? {} : { missing: first.missing }),
        ...(spec.resources?.limits?.memory === undefined
          ? {}
          : { memoryLimit: spec.resources.limits.memory }),
        ...(ref === undefined
          ? {}
          : (() => {
              const reachable = reachableRegistry(unit, image, ref.registry, index);
              return reachable === undefined ? {} : { reachableRegistry: reachable };
            })()),
      };
      findings.push({
        code,
        severity: CODE_INFO[code].severity,
        subject: subject(unit, spec.name, group),
        message: message(code, group, spec.name, fact, logs),
        evidence: {
          specImage: image,
          pods: group.map((f) => ({
            pod: f.pod,
            node: f.node ?? null,
            detail: f.detail,
            ...(f.restartCount === undefined ? {} : { restartCount: f.restartCount }),
            ...(f.exitCode === undefined ? {} : { exitCode: f.exitCode }),
            ...(f.reason === undefined ? {} : { reason: f.reason }),
          })),
          ...(fact === undefined
            ? {}
            : {
                registry: fact.ok
                  ? { digest: fact.digest, mediaType: fact.mediaType }
                  : {
                      error: fact.errorClass,
                      message: fact.message,
                      ...(fact.tags === undefined ? {} : { tags: fact.tags }),
                    },
              }),
          ...(first.missing === undefined ? {} : { missing: first.missing }),
          ...(logs === undefined ? {} : { previousLog: logs }),
        },
        remedy: recommend(code, context),
      });
    }
  }
  findings.push(...unschedulable(unit, index));
  return findings;
}

function unschedulable(unit: Unit, index: SnapshotIndex): Finding[] {
  const stuck: { pod: string; message: string }[] = [];
  for (const pod of [...unit.currentPods, ...unit.oldPods]) {
    const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (condition?.reason !== 'Unschedulable') continue;
    const name = pod.metadata?.name ?? '';
    const event = index
      .eventsFor('Pod', pod.metadata?.namespace, name)
      .findLast((e) => e.reason === 'FailedScheduling');
    stuck.push({ pod: name, message: condition.message ?? event?.message ?? 'no node fits' });
  }
  if (stuck.length === 0) return [];
  const places = stuck.map((s) => ({ pod: s.pod }));
  return [
    {
      code: 'UNSCHEDULABLE',
      severity: CODE_INFO.UNSCHEDULABLE.severity,
      subject: subject(unit, undefined, places),
      message: `${podsPhrase(places)} cannot be scheduled: ${stuck[0]!.message}`,
      evidence: { pods: stuck },
      remedy: recommend('UNSCHEDULABLE', {
        ...unitRef(unit),
        pod: stuck[0]!.pod,
      }),
    },
  ];
}
