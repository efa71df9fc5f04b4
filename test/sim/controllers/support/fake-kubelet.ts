import type { Clock } from '../../../../src/ports/clock.js';
import { apiTime } from '../../../../src/sim/clock.js';
import type { ObjectStore, Watch } from '../../../../src/sim/store/index.js';

interface PodLike {
  metadata: { name: string; namespace?: string; deletionTimestamp?: string; finalizers?: string[] };
  spec: { nodeName?: string; containers?: { name: string; image?: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string; [field: string]: unknown }[] };
}

/**
 * A stand-in for the real kubelet in controller tests: bound pods become Running and (unless
 * `ready` says otherwise) Ready; pods marked for deletion on a node are removed at once, as if
 * their containers stopped immediately.
 */
export function startFakeKubelet(
  store: ObjectStore,
  clock: Clock,
  ready: (image: string) => boolean = () => true,
): { stop(): void } {
  const handle = (pod: PodLike) => {
    const { namespace, name } = pod.metadata;
    if (!pod.spec.nodeName) return;
    if (pod.metadata.deletionTimestamp) {
      if (!pod.metadata.finalizers?.length && store.get('pods', namespace, name))
        store.delete('pods', namespace, name);
      return;
    }
    const isReady = (pod.spec.containers ?? []).every((c) => ready(c.image ?? ''));
    const want = isReady ? 'True' : 'False';
    const current = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    if (pod.status?.phase === 'Running' && current === want) return;
    const now = apiTime(clock.now());
    const next = structuredClone(store.get('pods', namespace, name)) as unknown as PodLike & {
      status: Record<string, unknown>;
    };
    next.status = {
      ...(next.status ?? {}),
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'Ready', status: want, lastProbeTime: null, lastTransitionTime: now },
        { type: 'ContainersReady', status: want, lastProbeTime: null, lastTransitionTime: now },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      ],
    };
    store.update('pods', next as never);
  };
  const watch: Watch = store.watch('pods', {}, (event) => {
    if (event.type === 'DELETED') return;
    const pod = event.object as unknown as PodLike;
    const latest = store.get('pods', pod.metadata.namespace, pod.metadata.name);
    if (latest) handle(latest as unknown as PodLike);
  });
  return { stop: () => watch.stop() };
}
