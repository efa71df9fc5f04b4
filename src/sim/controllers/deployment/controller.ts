import { apiTime } from '../../clock.js';
import type { KubeObject, Watch } from '../../store/index.js';
import { StoreError } from '../../store/index.js';
import { Orphans, release } from '../claim.js';
import { deleteObject } from '../delete-object.js';
import {
  canonicalJson,
  computePodTemplateHash,
  POD_TEMPLATE_HASH_LABEL,
  templateIdentity,
  templatesEqualIgnoringHash,
} from '../hash.js';
import { inform } from '../informer.js';
import {
  controllerOf,
  controllerRefTo,
  type Deployment,
  findCondition,
  keyFor,
  matchesSelector,
  objectKey,
  type Pod,
  type ReplicaSet,
  splitKey,
} from '../objects.js';
import { OwnerIndex } from '../owner-index.js';
import { WorkloadController, type WorkloadControllerOptions } from '../workload-controller.js';
import {
  annotatedInt,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  maxRevision,
  REVISION,
  replicasAnnotationsNeedUpdate,
  revisionOf,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './annotations.js';
import {
  hasProgressDeadline,
  markProgressing,
  newCondition,
  REASON,
  removeCondition,
  setCondition,
} from './conditions.js';
import {
  desiredReplicas,
  isRollingUpdate,
  maxSurge,
  maxUnavailable,
  resolveFenceposts,
} from './fenceposts.js';
import {
  actualReplicas,
  calculateStatus,
  compactStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  specReplicas,
} from './status.js';

const DEPLOYMENTS = 'deployments.apps';
const REPLICA_SETS = 'replicasets.apps';

/** Event messages of `ScalingReplicaSet`, kept together so their wording is changed in one place. */
export const SCALING_MESSAGES = {
  created: (rs: string, to: number) => `Scaled up replica set ${rs} to ${to} from 0`,
  scaled: (operation: string, rs: string, to: number, from: number) =>
    `Scaled ${operation} replica set ${rs} to ${to} from ${from}`,
};

export type DeploymentControllerOptions = WorkloadControllerOptions;

/**
 * kube-controller-manager's deployment controller: one ReplicaSet per pod template (named
 * `<deployment>-<pod-template-hash>`), rolling updates within maxSurge/maxUnavailable or Recreate,
 * revisions and revision history, proportional scaling, the Progressing/Available conditions with
 * their real reasons and messages, the progress deadline, pause/resume and history cleanup.
 * Follows k/k `pkg/controller/deployment` step by step, so kubectl's rollout commands see the
 * states they expect.
 */
export class DeploymentController extends WorkloadController {
  private readonly replicaSetsByOwner = new OwnerIndex(true);
  private readonly podsByOwner = new OwnerIndex(true);
  private readonly identities = new Map<string, string>();
  private readonly orphans = new Orphans();

  constructor(options: DeploymentControllerOptions) {
    super(options, 'deployment-controller');
  }

  protected informers(): Watch[] {
    return [
      inform(this.store, DEPLOYMENTS, (event) => this.queue.add(objectKey(event.object))),
      inform(this.store, REPLICA_SETS, (event) => {
        const key = objectKey(event.object);
        if (event.type === 'DELETED') {
          this.replicaSetsByOwner.remove(key);
          this.identities.delete(event.object.metadata.uid ?? '');
        } else {
          this.replicaSetsByOwner.set(event.object, key);
        }
        if (this.orphans.track(key, event.type === 'DELETED' ? undefined : event.object)) {
          this.enqueueSelecting(event.object);
        }
        this.enqueueController(event.object, 'Deployment');
      }),
      inform(this.store, 'pods', (event) => {
        const key = objectKey(event.object);
        if (event.type !== 'DELETED') {
          this.podsByOwner.set(event.object, key);
          return;
        }
        this.podsByOwner.remove(key);
        // Recreate waits for the old pods to be gone: a deleted pod may unblock its Deployment.
        const owner = controllerOf(event.object);
        if (owner?.kind !== 'ReplicaSet') return;
        const rs = this.store.get(REPLICA_SETS, event.object.metadata.namespace, owner.name);
        const deployment = rs && controllerOf(rs);
        if (deployment?.kind === 'Deployment') {
          this.queue.add(keyFor(event.object.metadata.namespace, deployment.name));
        }
      }),
    ];
  }

  /** One reconcile of one Deployment (`syncDeployment`). Public for tests. */
  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const stored = this.store.get(DEPLOYMENTS, namespace, name) as Deployment | undefined;
    if (!stored) return;
    const d = structuredClone(stored);
    d.spec.replicas ??= 1;
    const selector = d.spec.selector;
    if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
      // An empty selector would adopt every pod in the namespace; the real controller refuses too.
      return;
    }
    const rsList = this.replicaSetsOf(d);
    if (d.metadata.deletionTimestamp) {
      this.syncStatusOnly(d, rsList);
      return;
    }
    this.checkPausedConditions(d);
    if (d.spec.paused) {
      this.syncScaling(d, rsList);
      return;
    }
    if (this.isScalingEvent(d, rsList)) {
      this.syncScaling(d, rsList);
      return;
    }
    if (isRollingUpdate(d)) this.rolloutRolling(d, rsList);
    else this.rolloutRecreate(d, rsList);
  }

  // ---- reading ------------------------------------------------------------------------------

  /** An orphan ReplicaSet appeared: the Deployments whose selector matches it may adopt it. */
  private enqueueSelecting(rs: KubeObject): void {
    const { items } = this.store.list(DEPLOYMENTS, { namespace: rs.metadata.namespace });
    for (const d of items as Deployment[]) {
      if (d.spec.selector && matchesSelector(rs.metadata.labels, d.spec.selector))
        this.queue.add(objectKey(d));
    }
  }

  /** The Deployment's ReplicaSets after claiming: matching orphans adopted, non-matching ones released. */
  private replicaSetsOf(d: Deployment): ReplicaSet[] {
    const selector = d.spec.selector ?? {};
    for (const rs of this.orphans.adopt(this.store, REPLICA_SETS, d, selector))
      this.replicaSetsByOwner.set(rs);
    const out: ReplicaSet[] = [];
    for (const key of this.replicaSetsByOwner.keys(d.metadata.uid)) {
      const { namespace, name } = splitKey(key);
      const rs = this.store.get(REPLICA_SETS, namespace, name) as ReplicaSet | undefined;
      if (!rs || controllerOf(rs)?.uid !== d.metadata.uid) continue;
      if (!matchesSelector(rs.metadata.labels, selector)) {
        if (!rs.metadata.deletionTimestamp) {
          this.replicaSetsByOwner.set(release(this.store, REPLICA_SETS, rs, d.metadata.uid ?? ''));
        }
        continue;
      }
      out.push(rs);
    }
    return out;
  }

  /** A ReplicaSet's template identity; templates never change after creation, so it is cached by uid. */
  private identityOf(rs: ReplicaSet): string {
    const uid = rs.metadata.uid ?? '';
    let identity = this.identities.get(uid);
    if (identity === undefined) {
      identity = templateIdentity(rs.spec.template);
      this.identities.set(uid, identity);
    }
    return identity;
  }

  private podsOf(rs: ReplicaSet): Pod[] {
    const out: Pod[] = [];
    for (const key of this.podsByOwner.keys(rs.metadata.uid)) {
      const { namespace, name } = splitKey(key);
      const pod = this.store.get('pods', namespace, name) as Pod | undefined;
      if (pod && controllerOf(pod)?.uid === rs.metadata.uid) out.push(pod);
    }
    return out;
  }

  /** `getAllReplicaSetsAndSyncRevision`: the template's ReplicaSet (created if asked) and the rest. */
  private allReplicaSets(
    d: Deployment,
    rsList: ReplicaSet[],
    create: boolean,
  ): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
    // Earlier steps of this sync may have written some of them: work on the stored versions.
    const sorted = this.refresh(rsList).sort(byCreation);
    const identity = templateIdentity(d.spec.template);
    const existing = sorted.find((rs) => this.identityOf(rs) === identity);
    const oldRSs = sorted.filter((rs) => rs !== existing);
    const newRS = this.newReplicaSet(d, existing, oldRSs, create);
    return { newRS, oldRSs };
  }

  private newReplicaSet(
    d: Deployment,
    existing: ReplicaSet | undefined,
    oldRSs: ReplicaSet[],
    create: boolean,
  ): ReplicaSet | undefined {
    const newRevision = maxRevision(oldRSs) + 1;
    const now = apiTime(this.clock.now());
    if (existing) {
      // Only annotations, minReadySeconds and generation may change: copy just those levels.
      const rs: ReplicaSet = {
        ...existing,
        metadata: { ...existing.metadata, annotations: { ...(existing.metadata.annotations ?? {}) } },
        spec: { ...existing.spec },
      };
      const annotationsChanged = setNewReplicaSetAnnotations(d, rs, newRevision, true);
      const minReadyChanged = (rs.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
      if (annotationsChanged || minReadyChanged) {
        if (minReadyChanged) {
          rs.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
          rs.metadata.generation = (rs.metadata.generation ?? 1) + 1;
        }
        // The real controller returns here and syncs the Deployment's revision on the next pass.
        return this.saveReplicaSet(rs);
      }
      let needsUpdate = setDeploymentRevision(d, rs.metadata.annotations?.[REVISION] ?? '');
      if (hasProgressDeadline(d) && !findCondition(d.status?.conditions, 'Progressing')) {
        markProgressing(d, REASON.foundNewRS, `Found new replica set "${rs.metadata.name}"`, now);
        needsUpdate = true;
      }
      if (needsUpdate) this.saveDeployment(d);
      return rs;
    }
    if (!create) return undefined;

    const collisionCount = d.status?.collisionCount;
    const hash = computePodTemplateHash(d.spec.template, collisionCount);
    const template = structuredClone(d.spec.template);
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const selector = structuredClone(d.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [controllerRefTo(d)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
      status: { replicas: 0 },
    };
    rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(d, rs, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = this.store.create(REPLICA_SETS, rs) as ReplicaSet;
      this.replicaSetsByOwner.set(created);
    } catch (error) {
      if (!(error instanceof StoreError) || error.reason !== 'AlreadyExists') throw error;
      const found = this.store.get(REPLICA_SETS, d.metadata.namespace, rs.metadata.name) as ReplicaSet;
      if (
        controllerOf(found)?.uid === d.metadata.uid &&
        templatesEqualIgnoringHash(found.spec.template, d.spec.template)
      ) {
        created = found;
        alreadyExists = true;
      } else {
        // A hash collision: bump collisionCount so the next pass computes a different name.
        d.status ??= {};
        d.status.collisionCount = (collisionCount ?? 0) + 1;
        this.saveDeployment(d);
        throw error;
      }
    }
    const replicas = created.spec.replicas ?? 0;
    if (!alreadyExists && replicas > 0) {
      this.events.record({
        involved: d,
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: SCALING_MESSAGES.created(created.metadata.name, replicas),
      });
    }
    let needsUpdate = setDeploymentRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      markProgressing(d, REASON.newRSCreated, `Created new replica set "${created.metadata.name}"`, now);
      needsUpdate = true;
    }
    if (needsUpdate) this.saveDeployment(d);
    return created;
  }

  // ---- strategies ---------------------------------------------------------------------------

  private rolloutRolling(d: Deployment, rsList: ReplicaSet[]): void {
    const { newRS, oldRSs } = this.allReplicaSets(d, rsList, true);
    let allRSs = withNew(oldRSs, newRS);
    if (newRS && this.reconcileNewReplicaSet(allRSs, newRS, d)) {
      this.syncRolloutStatus(this.refresh(allRSs), this.refreshOne(newRS), d);
      return;
    }
    allRSs = this.refresh(allRSs);
    const refreshedNew = this.refreshOne(newRS);
    const refreshedOld = allRSs.filter((rs) => rs.metadata.uid !== refreshedNew?.metadata.uid);
    if (this.reconcileOldReplicaSets(allRSs, active(refreshedOld), refreshedNew, d)) {
      this.syncRolloutStatus(this.refresh(allRSs), this.refreshOne(newRS), d);
      return;
    }
    if (deploymentComplete(d, d.status ?? {})) this.cleanupDeployment(refreshedOld, d);
    this.syncRolloutStatus(this.refresh(allRSs), this.refreshOne(newRS), d);
  }

  private rolloutRecreate(d: Deployment, rsList: ReplicaSet[]): void {
    let { newRS, oldRSs } = this.allReplicaSets(d, rsList, false);
    let allRSs = withNew(oldRSs, newRS);
    let scaledDown = false;
    for (const rs of active(oldRSs)) {
      if (this.scaleAndRecord(rs, 0, d)) scaledDown = true;
    }
    if (scaledDown) {
      this.syncRolloutStatus(this.refresh(allRSs), this.refreshOne(newRS), d);
      return;
    }
    if (this.oldPodsRunning(newRS, this.refresh(oldRSs))) {
      this.syncRolloutStatus(this.refresh(allRSs), this.refreshOne(newRS), d);
      return;
    }
    if (!newRS) {
      ({ newRS, oldRSs } = this.allReplicaSets(d, this.replicaSetsOf(d), true));
      allRSs = withNew(oldRSs, newRS);
    }
    if (newRS) this.scaleAndRecord(newRS, desiredReplicas(d), d);
    if (deploymentComplete(d, d.status ?? {})) this.cleanupDeployment(this.refresh(oldRSs), d);
    this.syncRolloutStatus(this.refresh(allRSs), this.refreshOne(newRS), d);
  }

  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (actualReplicas(oldRSs) > 0) return true;
    for (const rs of oldRSs) {
      if (rs.metadata.uid === newRS?.metadata.uid) continue;
      for (const pod of this.podsOf(rs)) {
        const phase = pod.status?.phase;
        if (phase !== 'Failed' && phase !== 'Succeeded') return true;
      }
    }
    return false;
  }

  /** Scales the new RS up within maxSurge (or down when above the desired count); true if it scaled. */
  private reconcileNewReplicaSet(allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): boolean {
    const desired = desiredReplicas(d);
    const current = newRS.spec.replicas ?? 0;
    if (current === desired) return false;
    if (current > desired) return this.scaleAndRecord(newRS, desired, d);
    return this.scaleAndRecord(newRS, newRSNewReplicas(d, allRSs, newRS), d);
  }

  /** Scales old ReplicaSets down as far as maxUnavailable allows; true if any scaled. */
  private reconcileOldReplicaSets(
    allRSs: ReplicaSet[],
    oldRSs: ReplicaSet[],
    newRS: ReplicaSet | undefined,
    d: Deployment,
  ): boolean {
    if (specReplicas(oldRSs) === 0) return false;
    const allPods = specReplicas(allRSs);
    const minAvailable = desiredReplicas(d) - maxUnavailable(d);
    const newUnavailable = (newRS?.spec.replicas ?? 0) - (newRS?.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;

    // First remove old pods that are not available anyway: that costs no availability.
    let cleaned = 0;
    const olds = [...oldRSs].sort(byCreation);
    for (let i = 0; i < olds.length; i++) {
      const rs = olds[i]!;
      if (cleaned >= maxScaledDown) break;
      const replicas = rs.spec.replicas ?? 0;
      const available = rs.status?.availableReplicas ?? 0;
      if (replicas === 0 || replicas === available) continue;
      const count = Math.min(maxScaledDown - cleaned, replicas - available);
      if (this.scaleAndRecord(rs, replicas - count, d)) cleaned += count;
      olds[i] = this.refreshOne(rs) ?? rs;
    }

    // Then scale down available old pods while the total stays above minAvailable.
    const all = withNew(olds, newRS);
    const availableCount = all.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    let scaled = 0;
    if (availableCount > minAvailable) {
      const budget = availableCount - minAvailable;
      for (const rs of olds) {
        if (scaled >= budget) break;
        const replicas = rs.spec.replicas ?? 0;
        if (replicas === 0) continue;
        const count = Math.min(replicas, budget - scaled);
        if (this.scaleAndRecord(rs, replicas - count, d)) scaled += count;
      }
    }
    return cleaned + scaled > 0;
  }

  // ---- scaling (`sync`: paused Deployments and replica-count changes) -----------------------

  private isScalingEvent(d: Deployment, rsList: ReplicaSet[]): boolean {
    const { newRS, oldRSs } = this.allReplicaSets(d, rsList, false);
    for (const rs of active(withNew(oldRSs, newRS))) {
      const desired = annotatedInt(rs, DESIRED_REPLICAS);
      if (desired !== undefined && desired !== desiredReplicas(d)) return true;
    }
    return false;
  }

  private syncScaling(d: Deployment, rsList: ReplicaSet[]): void {
    const { newRS, oldRSs } = this.allReplicaSets(d, rsList, false);
    this.scale(d, newRS, oldRSs);
    const refreshedOld = this.refresh(oldRSs);
    if (d.spec.paused) this.cleanupDeployment(refreshedOld, d);
    this.syncDeploymentStatus(this.refresh(withNew(oldRSs, newRS)), this.refreshOne(newRS), d);
  }

  /** Proportional scaling, so a resize in the middle of a rollout keeps the old/new ratio. */
  private scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
    const desired = desiredReplicas(d);
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if ((activeOrLatest.spec.replicas ?? 0) === desired) return;
      this.scaleAndRecord(activeOrLatest, desired, d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const rs of active(oldRSs)) this.scaleAndRecord(rs, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const allRSs = active(withNew(oldRSs, newRS));
    const allowed = desired > 0 ? desired + maxSurge(d) : 0;
    const toAdd = allowed - specReplicas(allRSs);
    let operation = '';
    if (toAdd > 0) {
      allRSs.sort((a, b) => (b.spec.replicas ?? 0) - (a.spec.replicas ?? 0) || -byCreation(a, b));
      operation = 'up';
    } else if (toAdd < 0) {
      allRSs.sort((a, b) => (b.spec.replicas ?? 0) - (a.spec.replicas ?? 0) || byCreation(a, b));
      operation = 'down';
    }
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of allRSs) {
      const replicas = rs.spec.replicas ?? 0;
      if (toAdd === 0) {
        sizes.set(rs.metadata.name, replicas);
        continue;
      }
      const proportion = getProportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name, replicas + proportion);
      added += proportion;
    }
    allRSs.forEach((rs, i) => {
      let size = sizes.get(rs.metadata.name) ?? 0;
      if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
      this.scaleReplicaSet(rs, size, d, operation);
    });
  }

  private scaleAndRecord(rs: ReplicaSet, to: number, d: Deployment): boolean {
    const from = rs.spec.replicas ?? 0;
    if (from === to) return false;
    return this.scaleReplicaSet(rs, to, d, from < to ? 'up' : 'down');
  }

  /** Sets the RS size and its desired/max annotations; records `ScalingReplicaSet` when resized. */
  private scaleReplicaSet(rs: ReplicaSet, to: number, d: Deployment, operation: string): boolean {
    const current =
      (this.store.get(REPLICA_SETS, rs.metadata.namespace, rs.metadata.name) as ReplicaSet) ?? rs;
    const from = current.spec.replicas ?? 0;
    const desired = desiredReplicas(d);
    const max = desired + maxSurge(d);
    const sizeChanged = from !== to;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(current, desired, max)) return false;
    const next = structuredClone(current);
    next.spec.replicas = to;
    if (sizeChanged) next.metadata.generation = (next.metadata.generation ?? 1) + 1;
    setReplicasAnnotations(next, desired, max);
    this.saveReplicaSet(next);
    if (sizeChanged) {
      this.events.record({
        involved: d,
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: SCALING_MESSAGES.scaled(operation, next.metadata.name, to, from),
      });
    }
    return sizeChanged;
  }

  /** Deletes the oldest unused ReplicaSets beyond `revisionHistoryLimit`. */
  private cleanupDeployment(oldRSs: ReplicaSet[], d: Deployment): void {
    const limit = d.spec.revisionHistoryLimit;
    if (limit === undefined) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const excess = cleanable.length - limit;
    if (excess <= 0) return;
    cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of cleanable.slice(0, excess)) {
      const current = this.store.get(REPLICA_SETS, rs.metadata.namespace, rs.metadata.name) as
        | ReplicaSet
        | undefined;
      if (!current) continue;
      if ((current.status?.replicas ?? 0) !== 0 || (current.spec.replicas ?? 0) !== 0) continue;
      if ((current.metadata.generation ?? 1) > (current.status?.observedGeneration ?? 0)) continue;
      deleteObject(this.store, this.clock, REPLICA_SETS, current.metadata.namespace, current.metadata.name);
      this.replicaSetsByOwner.remove(objectKey(current));
    }
  }

  // ---- status -------------------------------------------------------------------------------

  private checkPausedConditions(d: Deployment): void {
    if (!hasProgressDeadline(d)) return;
    const condition = findCondition(d.status?.conditions, 'Progressing');
    if (condition?.reason === REASON.timedOut) return;
    const pausedExists = condition?.reason === REASON.paused;
    const now = apiTime(this.clock.now());
    d.status ??= {};
    if (d.spec.paused && !pausedExists) {
      setCondition(
        d.status,
        newCondition('Progressing', 'Unknown', REASON.paused, 'Deployment is paused', now),
      );
    } else if (!d.spec.paused && pausedExists) {
      setCondition(
        d.status,
        newCondition('Progressing', 'Unknown', REASON.resumed, 'Deployment is resumed', now),
      );
    } else {
      return;
    }
    this.saveDeployment(d);
  }

  private syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): void {
    const { newRS, oldRSs } = this.allReplicaSets(d, rsList, false);
    this.syncDeploymentStatus(withNew(oldRSs, newRS), newRS, d);
  }

  private syncDeploymentStatus(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): void {
    const status = calculateStatus(allRSs, newRS, d, this.clock.now());
    this.writeStatusIfChanged(d, status);
  }

  /** `syncRolloutStatus`: counts plus the Progressing condition (progress, completion, deadline). */
  private syncRolloutStatus(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): void {
    const now = this.clock.now();
    const time = apiTime(now);
    const status = calculateStatus(allRSs, newRS, d, now);
    if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
    const current = findCondition(d.status?.conditions, 'Progressing');
    const complete =
      (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === REASON.newRSAvailable;
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (hasProgressDeadline(d) && !complete) {
      if (deploymentComplete(d, status)) {
        setCondition(
          status,
          newCondition(
            'Progressing',
            'True',
            REASON.newRSAvailable,
            `${subject} has successfully progressed.`,
            time,
          ),
        );
      } else if (deploymentProgressing(d, status)) {
        const condition = newCondition(
          'Progressing',
          'True',
          REASON.rsUpdated,
          `${subject} is progressing.`,
          time,
        );
        if (current) {
          if (current.status === 'True' && current.lastTransitionTime) {
            condition.lastTransitionTime = current.lastTransitionTime;
          }
          removeCondition(status, 'Progressing');
        }
        setCondition(status, condition);
      } else if (deploymentTimedOut(d, status, now)) {
        setCondition(
          status,
          newCondition(
            'Progressing',
            'False',
            REASON.timedOut,
            `${subject} has timed out progressing.`,
            time,
          ),
        );
      }
    }
    if (!this.writeStatusIfChanged(d, status)) this.requeueStuck(d, status, now);
  }

  /** Re-checks a rollout when its progress deadline would pass, so the timeout is reported on time. */
  private requeueStuck(d: Deployment, status: ReturnType<typeof calculateStatus>, now: number): void {
    const condition = findCondition(d.status?.conditions, 'Progressing');
    if (!hasProgressDeadline(d) || !condition) return;
    if (deploymentComplete(d, status) || condition.reason === REASON.timedOut) return;
    const from = Date.parse(condition.lastUpdateTime ?? '');
    if (!Number.isFinite(from)) return;
    const after = from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - now;
    this.queue.addAfter(objectKey(d), after < 1000 ? 1000 : after + 1000);
  }

  private writeStatusIfChanged(d: Deployment, status: ReturnType<typeof calculateStatus>): boolean {
    const next = compactStatus(status);
    if (canonicalJson(next) === canonicalJson(d.status ?? {})) return false;
    d.status = next;
    this.saveDeployment(d);
    return true;
  }

  // ---- writing ------------------------------------------------------------------------------

  private saveDeployment(d: Deployment): void {
    if (d.status) d.status = compactStatus(d.status);
    // Only this controller's fields (status, revision annotation) differ from the stored object,
    // which cannot have changed since `sync` read it: everything here runs in one turn.
    const saved = this.store.update(DEPLOYMENTS, d as KubeObject);
    d.metadata.resourceVersion = saved.metadata.resourceVersion;
  }

  private saveReplicaSet(rs: ReplicaSet): ReplicaSet {
    return this.store.update(REPLICA_SETS, rs) as ReplicaSet;
  }

  private refresh(replicaSets: ReplicaSet[]): ReplicaSet[] {
    const out: ReplicaSet[] = [];
    for (const rs of replicaSets) {
      const current = this.refreshOne(rs);
      if (current) out.push(current);
    }
    return out;
  }

  private refreshOne(rs: ReplicaSet | undefined): ReplicaSet | undefined {
    if (!rs) return undefined;
    const current = this.store.get(REPLICA_SETS, rs.metadata.namespace, rs.metadata.name) as
      | ReplicaSet
      | undefined;
    return current?.metadata.uid === rs.metadata.uid ? current : undefined;
  }
}

// ---- pure helpers (k/k deployment/util) ---------------------------------------------------

function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

function withNew(oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined): ReplicaSet[] {
  return newRS ? [...oldRSs, newRS] : [...oldRSs];
}

function active(replicaSets: ReplicaSet[]): ReplicaSet[] {
  return replicaSets.filter((rs) => (rs.spec.replicas ?? 0) > 0);
}

/** `NewRSNewReplicas`: how big the new RS may be now. */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const { surge } = resolveFenceposts(d);
  const current = specReplicas(allRSs);
  const maxTotal = desired + surge;
  const newReplicas = newRS.spec.replicas ?? 0;
  if (current >= maxTotal) return newReplicas;
  const scaleUp = Math.min(maxTotal - current, desired - newReplicas);
  return newReplicas + scaleUp;
}

function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => -byCreation(a, b));
  const all = active(withNew(newestFirst, newRS));
  if (all.length === 0) return newRS ?? newestFirst[0];
  if (all.length === 1) return all[0];
  return undefined;
}

function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicas(d);
  return (
    annotatedInt(rs, DESIRED_REPLICAS) === desired &&
    (rs.spec.replicas ?? 0) === desired &&
    (rs.status?.availableReplicas ?? 0) === desired
  );
}

function getProportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  const replicas = rs.spec.replicas ?? 0;
  if (replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const replicas = rs.spec.replicas ?? 0;
  const desired = desiredReplicas(d);
  if (desired === 0) return -replicas;
  const total = desired + maxSurge(d);
  const annotated = annotatedInt(rs, MAX_REPLICAS) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return Math.round((replicas * total) / annotated) - replicas;
}
