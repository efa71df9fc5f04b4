import type { Platform } from '../oci/index.js';
import type { ClusterSnapshot, ContainerStatus, EventObject, NodeObject, PodObject } from './types.js';

/** Lookups over one snapshot, built once so diagnosis stays linear in cluster size. */
export class SnapshotIndex {
  readonly nodes = new Map<string, NodeObject>();
  private readonly eventsByObject = new Map<string, EventObject[]>();

  constructor(readonly snapshot: ClusterSnapshot) {
    for (const node of snapshot.nodes) this.nodes.set(node.metadata?.name ?? '', node);
    for (const event of snapshot.events) {
      const involved = event.involvedObject ?? {};
      const k = `${involved.kind ?? ''}/${involved.namespace ?? ''}/${involved.name ?? ''}`;
      const list = this.eventsByObject.get(k);
      if (list) list.push(event);
      else this.eventsByObject.set(k, [event]);
    }
  }

  /** Events about an object, newest last. */
  eventsFor(kind: string, namespace: string | undefined, name: string): EventObject[] {
    const list = this.eventsByObject.get(`${kind}/${namespace ?? ''}/${name}`) ?? [];
    return [...list].sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
  }

  /** The node's platform from `status.nodeInfo`, if reported. */
  platformOf(nodeName: string | undefined): Platform | undefined {
    const info = nodeName === undefined ? undefined : this.nodes.get(nodeName)?.status?.nodeInfo;
    if (info?.operatingSystem === undefined || info.architecture === undefined) return undefined;
    return { os: info.operatingSystem, architecture: info.architecture };
  }

  /** An address of the node others can reach (InternalIP first). */
  addressOf(nodeName: string): string | undefined {
    const addresses = this.nodes.get(nodeName)?.status?.addresses ?? [];
    return (addresses.find((a) => a.type === 'InternalIP') ?? addresses.find((a) => a.type === 'ExternalIP'))
      ?.address;
  }
}

function eventTime(event: EventObject): string {
  return event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp ?? '';
}

/** The status of container `name` in a pod (init containers too). */
export function statusOf(pod: PodObject, name: string): ContainerStatus | undefined {
  return (
    pod.status?.containerStatuses?.find((s) => s.name === name) ??
    pod.status?.initContainerStatuses?.find((s) => s.name === name)
  );
}

/** The spec of container `name` in a pod. */
export function podContainer(pod: PodObject, name: string) {
  return (
    pod.spec?.containers?.find((c) => c.name === name) ??
    pod.spec?.initContainers?.find((c) => c.name === name)
  );
}

/** True when an event is about container `name` (or names no container). */
export function aboutContainer(event: EventObject, name: string): boolean {
  const path = event.involvedObject?.fieldPath;
  return path === undefined || path === '' || path.endsWith(`{${name}}`);
}
