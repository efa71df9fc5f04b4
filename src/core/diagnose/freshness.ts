import { type MatchKind, matchRunningDigest, parseImageId } from '../digest-match/index.js';
import type { Finding } from '../findings/index.js';
import { type ImageRef, tryParseImageRef } from '../image-ref/index.js';
import { effectivePullPolicy } from '../pull-policy/index.js';
import { CODE_INFO, type DoctorCode } from './codes.js';
import { type SnapshotIndex, statusOf } from './context.js';
import { type RemedyContext, recommend } from './recommend.js';
import { count, shortDigest, unique } from './text.js';
import type { ClusterRegistry } from './triage.js';
import type { ContainerSpec, RegistryFact } from './types.js';
import { type Unit, unitRef } from './units.js';

/** What one pod runs for a container, compared with the registry. */
interface Running {
  readonly pod: string;
  readonly node: string | undefined;
  readonly imageID: string;
  readonly digest: string | undefined;
  readonly match: MatchKind | null;
  readonly bareConfig: boolean;
}

/** One node's cached digests for the spec's tag (from `node.status.images`). */
interface NodeCache {
  readonly node: string;
  readonly digests: readonly string[];
  readonly stale: boolean;
}

function runningPods(
  unit: Unit,
  spec: ContainerSpec,
  ref: ImageRef,
  fact: RegistryFact | undefined,
  index: SnapshotIndex,
): Running[] {
  const result: Running[] = [];
  for (const pod of unit.currentPods) {
    const status = statusOf(pod, spec.name);
    if (!status?.imageID) continue;
    const node = pod.spec?.nodeName;
    const identity = parseImageId(status.imageID);
    if (identity.kind === 'none') continue;
    let match: MatchKind | null = null;
    if (fact?.ok) {
      const result = matchRunningDigest(identity, fact, index.platformOf(node));
      if (result.matched) match = result.kind;
    } else if (ref.digest !== undefined && identity.digest === ref.digest) {
      match = 'top';
    }
    result.push({
      pod: pod.metadata?.name ?? '',
      node,
      imageID: status.imageID,
      digest: identity.digest,
      match,
      bareConfig: identity.kind === 'config',
    });
  }
  return result;
}

/** Digests each node caches under the spec's exact `name:tag` (semantics §4: a lossy hint). */
function nodeCaches(ref: ImageRef, fact: RegistryFact | undefined, index: SnapshotIndex): NodeCache[] {
  if (ref.tag === undefined && ref.digest !== undefined) return [];
  const wanted = ref.qualified();
  const caches: NodeCache[] = [];
  for (const [name, node] of index.nodes) {
    const digests: string[] = [];
    for (const image of node.status?.images ?? []) {
      const names = image.names ?? [];
      const tagged = names.some((n) => !n.includes('@') && tryParseImageRef(n)?.qualified() === wanted);
      if (!tagged) continue;
      for (const n of names) {
        const at = n.lastIndexOf('@');
        if (at !== -1) digests.push(n.slice(at + 1));
      }
    }
    if (digests.length === 0) continue;
    const stale =
      fact?.ok === true &&
      !digests.some((d) => matchRunningDigest(`x@${d}`, fact, index.platformOf(name)).matched);
    caches.push({ node: name, digests: unique(digests), stale });
  }
  return caches;
}

/** Registry evidence for a finding. */
function registryEvidence(fact: RegistryFact | undefined): Record<string, unknown> {
  if (fact === undefined) return { registry: null };
  if (fact.ok) {
    return {
      registry: {
        digest: fact.digest,
        mediaType: fact.mediaType,
        ...(fact.children === undefined || fact.children.length === 0
          ? {}
          : {
              children: fact.children.map((c) => ({
                platform: `${c.platform.os}/${c.platform.architecture}${c.platform.variant ? `/${c.platform.variant}` : ''}`,
                digest: c.digest,
                ...(c.configDigest === undefined ? {} : { configDigest: c.configDigest }),
              })),
            }),
      },
    };
  }
  return {
    registry: {
      error: fact.errorClass,
      message: fact.message,
      ...(fact.tags === undefined ? {} : { tags: fact.tags }),
    },
  };
}

function byDigest(pods: readonly Running[]): string {
  const groups = new Map<string, Running[]>();
  for (const pod of pods) {
    const key = pod.match !== null ? 'current' : (pod.digest ?? '?');
    const list = groups.get(key);
    if (list) list.push(pod);
    else groups.set(key, [pod]);
  }
  return [...groups.entries()]
    .map(([key, list]) => {
      const label = key === 'current' ? `${shortDigest(list[0]!.digest)} (current)` : shortDigest(key);
      const nodes = unique(list.map((p) => p.node ?? '?'));
      return `${label} on ${nodes.join(', ')} (${count(list.length, 'pod')})`;
    })
    .join(', ');
}

/**
 * The freshness verdict of one container: compare every current pod's running digest with what
 * the registry serves for the spec reference (index-aware, semantics §3), then look at the node
 * caches and the pull policy for what will go wrong next.
 */
export function freshnessOf(
  unit: Unit,
  spec: ContainerSpec,
  index: SnapshotIndex,
  registry: ClusterRegistry,
): Finding[] {
  const image = spec.image;
  const ref = image === undefined ? undefined : tryParseImageRef(image);
  if (image === undefined || ref === undefined) return [];
  const fact = registry.fact(image);
  const running = runningPods(unit, spec, ref, fact, index);
  const caches = nodeCaches(ref, fact, index);
  const pinned = ref.digest !== undefined;
  const policy = spec.imagePullPolicy ?? effectivePullPolicy(image, undefined);
  let pinnedImage: string | undefined;
  if (fact?.ok && !pinned) {
    try {
      pinnedImage = ref.withDigest(fact.digest).original;
    } catch {
      pinnedImage = undefined;
    }
  }
  const context: RemedyContext = {
    ...unitRef(unit),
    container: spec.name,
    specImage: image,
    registryHost: ref.registry,
    repository: ref.name(),
    ...(pinnedImage === undefined ? {} : { pinnedImage }),
    pullPolicy: policy,
    canRollBack: unit.canRollBack,
  };
  const evidence = {
    specImage: image,
    pullPolicy: policy,
    ...registryEvidence(fact),
    pods: running.map((p) => ({
      pod: p.pod,
      node: p.node ?? null,
      imageID: p.imageID,
      digest: p.digest ?? null,
      match: p.match,
    })),
    nodeCache: caches.map((c) => ({ node: c.node, digests: c.digests, stale: c.stale })),
  };
  const findings: Finding[] = [];
  const emit = (
    code: DoctorCode,
    message: string,
    extra: Partial<RemedyContext> = {},
    pods: readonly Running[] = running,
  ) => {
    findings.push({
      code,
      severity: CODE_INFO[code].severity,
      subject: {
        ...unitRef(unit),
        container: spec.name,
        ...(pods.length === 1
          ? { pod: pods[0]!.pod, ...(pods[0]!.node === undefined ? {} : { node: pods[0]!.node }) }
          : {}),
      },
      message,
      evidence,
      remedy: recommend(code, { ...context, ...extra }),
    });
  };
  const n = running.length;
  const distinct = new Set(running.map((p) => (p.match !== null ? 'current' : p.digest)));
  const pods = count(n, 'pod');
  const all = n === 1 ? 'the only pod runs' : `all ${pods} run`;
  if (n > 0) {
    if (distinct.size > 1) {
      const registryNote = fact?.ok
        ? `the registry has ${shortDigest(fact.digest)}`
        : 'the registry could not be asked';
      emit(
        'MIXED_DIGESTS',
        `${pods} run ${distinct.size} different digests of ${image}: ${byDigest(running)}; ${registryNote}`,
      );
    }
    if (fact?.ok) {
      if (running.every((p) => p.match !== null)) {
        const via = running.find((p) => p.match !== 'top');
        const how =
          via === undefined
            ? ''
            : via.match === 'config'
              ? ' (matched by config digest: an imported copy of it)'
              : " (matched the node platform's image in the index)";
        if (pinned) emit('OK_PINNED', `${all} the pinned digest ${shortDigest(ref.digest)}${how}`);
        else emit('OK_CURRENT', `${all} ${shortDigest(fact.digest)}, the current digest of ${image}${how}`);
      } else if (distinct.size === 1) {
        const old = running[0]!;
        if (old.bareConfig) {
          emit(
            'LOCAL_IMPORT',
            `${pods} run an imported image (imageID ${shortDigest(old.digest)} has no repo digest), not the registry's ${image} (${shortDigest(fact.digest)})`,
          );
        } else if (pinned) {
          emit(
            'STALE_TAG_MOVED',
            `${pods} run ${shortDigest(old.digest)}, not the pinned digest ${shortDigest(ref.digest)}`,
          );
        } else {
          emit(
            'STALE_TAG_MOVED',
            `${image} now points to ${shortDigest(fact.digest)}; ${n === 1 ? 'the only pod runs' : `all ${pods} run`} ${shortDigest(old.digest)}`,
          );
        }
      }
    } else if (fact !== undefined && fact.errorClass === 'not-found') {
      const tags =
        fact.tags !== undefined && fact.tags.length > 0 ? `; tags there: ${fact.tags.join(', ')}` : '';
      if (running.every((p) => p.bareConfig)) {
        emit(
          'LOCAL_IMPORT',
          `${pods} run an imported image (imageID ${shortDigest(running[0]!.digest)} has no repo digest) and the registry does not have ${image} (${fact.message})${tags}`,
        );
      } else {
        emit(
          'NOT_IN_REGISTRY',
          `${pods} run ${image}, but the registry does not have it (${fact.message})${tags}`,
        );
      }
    } else if (running.every((p) => p.bareConfig)) {
      const why = fact === undefined ? 'it was not asked' : fact.message;
      emit(
        'LOCAL_IMPORT',
        `${pods} run an imported image (imageID ${shortDigest(running[0]!.digest)} has no repo digest); the registry could not be checked (${why})`,
      );
    } else if (pinned && running.every((p) => p.match !== null)) {
      emit('OK_PINNED', `${all} the pinned digest ${shortDigest(ref.digest)}`);
    } else {
      const why = fact === undefined ? 'it was not asked' : fact.message;
      const what =
        distinct.size === 1 ? shortDigest(running[0]!.digest) : `${distinct.size} different digests`;
      emit(
        'UNVERIFIABLE',
        `cannot check ${image} against the registry (${why}); ${n === 1 ? 'the only pod runs' : `${pods} run`} ${what}`,
      );
    }
  }
  if (!pinned && fact?.ok && policy !== 'Always') {
    const stale = caches.filter((c) => c.stale);
    const healthy = findings.every((f) => f.code === 'OK_CURRENT');
    if (stale.length > 0 && healthy) {
      const nodes = stale.map((c) => c.node);
      const digests = unique(stale.flatMap((c) => c.digests))
        .map(shortDigest)
        .join(', ');
      const subjectNode = nodes.length === 1 ? { node: nodes[0]! } : {};
      findings.push({
        code: 'STALE_NODE_CACHE',
        severity: CODE_INFO.STALE_NODE_CACHE.severity,
        subject: {
          ...unitRef(unit),
          container: spec.name,
          ...subjectNode,
        },
        message: `${nodes.length === 1 ? `node ${nodes[0]} caches` : `nodes ${nodes.join(', ')} cache`} ${image} as ${digests}, but the registry has ${shortDigest(fact.digest)}: the next pod started there with ${policy} runs the old image`,
        evidence,
        remedy: recommend('STALE_NODE_CACHE', { ...context, nodes }),
      });
    }
  }
  if (!pinned && (policy === 'IfNotPresent' || policy === 'Never')) {
    findings.push({
      code: 'POLICY_RISK',
      severity: CODE_INFO.POLICY_RISK.severity,
      subject: {
        ...unitRef(unit),
        container: spec.name,
      },
      message: `${image} is a moving tag with imagePullPolicy ${policy}: each node keeps the digest it cached first`,
      evidence: { specImage: image, pullPolicy: policy },
      remedy: recommend('POLICY_RISK', context),
    });
  }
  return findings;
}
