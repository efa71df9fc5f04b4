import type { WorkloadObject } from '../../core/diagnose/index.js';
import { CHANGE_CAUSE_ANNOTATION, ownedReplicaSets, revisionOf } from '../../core/rollout/index.js';
import { KubefreshError } from '../../errors/index.js';
import type { Clock } from '../../ports/clock.js';
import type { KubeClient, KubeObject } from '../../ports/kube.js';
import { withRetries } from '../retry/index.js';
import type { WorkloadTarget } from './target.js';

/** The workload as it was just before kubefresh changed it: what a rollback returns to. */
export interface PreviousState {
  readonly image: string;
  /** Deployment revision (0 for other kinds). */
  readonly revision: number;
  readonly template: unknown;
  readonly changeCause: string | undefined;
  readonly generation: number;
}

export interface SetImageResult {
  /** False when the container already named exactly this image (a re-run): nothing was sent. */
  readonly changed: boolean;
  readonly previous: PreviousState;
  readonly workload: WorkloadObject;
  /** 409 conflicts met (and survived) on the way. */
  readonly conflicts: number;
}

type Workload = WorkloadObject & KubeObject;

/** The container to change: the named one, or the only one. Errors in kubectl's words. */
export function pickContainer(
  workload: WorkloadObject,
  name: string | undefined,
): { name: string; image: string } {
  const containers = workload.spec?.template?.spec?.containers ?? [];
  if (name !== undefined) {
    const found = containers.find((c) => c.name === name);
    if (found === undefined) {
      throw new KubefreshError('USAGE_NO_SUCH_CONTAINER', `unable to find container named "${name}"`, {
        hint: `containers of ${workload.kind?.toLowerCase()}/${workload.metadata?.name}: ${containers.map((c) => c.name).join(', ')}`,
      });
    }
    return { name: found.name, image: found.image ?? '' };
  }
  if (containers.length !== 1) {
    throw new KubefreshError(
      'USAGE_CONTAINER_REQUIRED',
      `${workload.kind?.toLowerCase()}/${workload.metadata?.name} has ${containers.length} containers (${containers.map((c) => c.name).join(', ')}); say which with --container`,
    );
  }
  return { name: containers[0]!.name, image: containers[0]!.image ?? '' };
}

/**
 * `kubectl set image` plus `kubectl annotate kubernetes.io/change-cause`, in one strategic merge
 * patch pinned to the resourceVersion that was read: so the template recorded as "previous" is
 * exactly the one replaced. A 409 (someone else wrote in between) re-reads and tries again.
 * An image that is already set sends nothing (kubectl's empty patch) and reports `changed: false`.
 */
export async function setImage(
  kube: KubeClient,
  clock: Clock,
  target: WorkloadTarget,
  input: { container: string | undefined; image: string; changeCause: string },
): Promise<SetImageResult> {
  let conflicts = 0;
  // Set when a patch went out: if its answer was lost (a reset, a 5xx after the write), the next
  // attempt finds the image already set, and the change is still ours, from this state.
  let sentFrom: PreviousState | undefined;
  return withRetries(
    clock,
    async () => {
      const current = await kube.get<Workload>(target.resource, target.namespace, target.name);
      const container = pickContainer(current, input.container);
      const previous: PreviousState = {
        image: container.image,
        revision: revisionOf(current),
        template: structuredClone(current.spec?.template),
        changeCause: current.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION],
        generation: current.metadata?.generation ?? 0,
      };
      if (container.image === input.image) {
        return sentFrom === undefined
          ? { changed: false, previous, workload: current, conflicts }
          : { changed: true, previous: sentFrom, workload: current, conflicts };
      }
      sentFrom ??= previous;
      const patched = await kube.patch<Workload>(
        target.resource,
        target.namespace,
        target.name,
        {
          metadata: {
            resourceVersion: current.metadata?.resourceVersion,
            annotations: { [CHANGE_CAUSE_ANNOTATION]: input.changeCause },
          },
          spec: { template: { spec: { containers: [{ name: container.name, image: input.image }] } } },
        },
        'strategic',
      );
      return { changed: true, previous, workload: patched, conflicts };
    },
    (error) => {
      if ((error as KubefreshError).code === 'KUBE_CONFLICT') conflicts++;
    },
  );
}

/**
 * After a run was killed between set-image and its verdict (kill -9, a lost CI runner), a re-run
 * finds the image already set. When the Deployment's change cause is the one this deploy writes
 * (`kubefresh deploy REF@DIGEST`), that revision is this deploy's own, not yet verified: the state
 * to return to on failure is the revision before it. Undefined when the change is not ours, or
 * there is no earlier revision.
 */
export async function ownEarlierChange(
  kube: KubeClient,
  target: WorkloadTarget,
  workload: WorkloadObject,
  container: string,
  changeCause: string,
): Promise<PreviousState | undefined> {
  if (workload.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] !== changeCause) return undefined;
  const labels = workload.spec?.selector?.matchLabels ?? {};
  const labelSelector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (target.kind !== 'Deployment') return earlierControllerRevision(kube, target, workload, container);
  const list = await kube.list<Workload>('replicasets', {
    namespace: target.namespace,
    ...(labelSelector === '' ? {} : { labelSelector }),
  });
  const earlier = ownedReplicaSets(workload, list.items)[1];
  if (earlier === undefined) return undefined;
  const image = earlier.spec?.template?.spec?.containers?.find((c) => c.name === container)?.image;
  if (image === undefined) return undefined;
  return {
    image,
    revision: revisionOf(earlier),
    template: structuredClone(earlier.spec?.template),
    changeCause: earlier.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION],
    generation: workload.metadata?.generation ?? 0,
  };
}

interface RevisionRecord extends KubeObject {
  readonly revision?: number;
  /** The template as the controller stored it (`$patch: replace` beside its fields). */
  readonly data?: { readonly spec?: { readonly template?: Record<string, unknown> } };
  readonly metadata?: KubeObject['metadata'] & {
    readonly annotations?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly { readonly uid?: string }[];
  };
}

/**
 * StatefulSets and DaemonSets keep their history in ControllerRevisions (the controller copies the
 * owner's annotations into each): the one before the highest is the state to return to.
 */
async function earlierControllerRevision(
  kube: KubeClient,
  target: WorkloadTarget,
  workload: WorkloadObject,
  container: string,
): Promise<PreviousState | undefined> {
  const list = await kube.list<RevisionRecord>('controllerrevisions', { namespace: target.namespace });
  const uid = workload.metadata?.uid;
  const owned = list.items
    .filter((cr) => cr.metadata?.ownerReferences?.some((r) => r.uid === uid))
    .sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0));
  const earlier = owned[1];
  const { $patch: _replace, ...plain } = earlier?.data?.spec?.template ?? {};
  const containers = (plain.spec as { containers?: { name: string; image?: string }[] } | undefined)
    ?.containers;
  const image = containers?.find((c) => c.name === container)?.image;
  if (earlier === undefined || image === undefined) return undefined;
  return {
    image,
    revision: 0,
    template: structuredClone(plain),
    changeCause: earlier.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION],
    generation: workload.metadata?.generation ?? 0,
  };
}

/**
 * Why `workload` no longer carries this deploy's revision (another deploy, `kubectl set image` or
 * an undo replaced it), or undefined while it does. A scale or an annotation elsewhere is not a
 * replacement: only the container's image and the change cause are compared.
 */
export function replacedBy(
  workload: WorkloadObject,
  container: string,
  image: string,
  changeCause: string,
): string | undefined {
  const now = workload.spec?.template?.spec?.containers?.find((c) => c.name === container)?.image;
  const cause = workload.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
  if (now === image && cause === changeCause) return undefined;
  return `the pod template was changed by someone else meanwhile: container "${container}" is now ${now ?? 'gone'}${cause === undefined || cause === changeCause ? '' : ` (change cause: ${cause})`}`;
}
