import type { KubeObject, ObjectStore, Watch } from '../store/index.js';

export type PodHandler = (type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: KubeObject) => void;

/** How a kubelet learns about the pods bound to its node. */
export interface PodSubscription {
  /** Delivers the pods already bound to `node` as ADDED, then every later change; returns an unsubscribe. */
  subscribe(node: string, handler: PodHandler): () => void;
}

/**
 * One pod watch shared by every kubelet of a cluster, dispatched by `spec.nodeName`: with
 * hundreds of nodes, a watch per kubelet would wake every kubelet for every pod write.
 */
export class PodFeed implements PodSubscription {
  private readonly handlers = new Map<string, PodHandler>();
  private readonly watch: Watch;

  constructor(private readonly store: ObjectStore) {
    const initial = store.list('pods');
    this.watch = store.watch('pods', { resourceVersion: initial.resourceVersion }, (event) => {
      if (event.type === 'BOOKMARK') return;
      const node = nodeOf(event.object);
      if (node !== undefined) this.handlers.get(node)?.(event.type, event.object);
    });
  }

  subscribe(node: string, handler: PodHandler): () => void {
    this.handlers.set(node, handler);
    for (const pod of this.store.list('pods').items) if (nodeOf(pod) === node) handler('ADDED', pod);
    return () => {
      if (this.handlers.get(node) === handler) this.handlers.delete(node);
    };
  }

  stop(): void {
    this.watch.stop();
    this.handlers.clear();
  }
}

/** A feed for a single kubelet: its own watch, filtered to its node. */
export function ownPodFeed(store: ObjectStore): PodSubscription {
  return {
    subscribe(node, handler) {
      const initial = store.list('pods');
      const watch = store.watch(
        'pods',
        { resourceVersion: initial.resourceVersion, filter: (pod) => nodeOf(pod) === node },
        (event) => {
          if (event.type !== 'BOOKMARK') handler(event.type, event.object);
        },
      );
      for (const pod of initial.items) if (nodeOf(pod) === node) handler('ADDED', pod);
      return () => watch.stop();
    },
  };
}

function nodeOf(pod: KubeObject): string | undefined {
  return (pod.spec as { nodeName?: string } | undefined)?.nodeName;
}
