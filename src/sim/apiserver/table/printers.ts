import type { KubeObject } from '../../store/index.js';
import { formatSpecSelector } from '../selectors.js';
import { since } from './human-duration.js';
import { summarizePod } from './pod-status.js';

// biome-ignore lint/suspicious/noExplicitAny: printers read loosely typed API JSON
type Obj = Record<string, any>;

/** A Table column; priority 1 columns show only with `-o wide`. */
export interface Column {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

export interface Printer {
  readonly columns: readonly Column[];
  /** One cell per column (wide columns included: kubectl hides them unless asked). */
  cells(object: KubeObject, now: number): unknown[];
}

function col(name: string, type: Column['type'] = 'string', priority = 0, format = ''): Column {
  return { name, type, format, description: '', priority };
}

const NAME = { ...col('Name', 'string', 0, 'name'), description: 'Name must be unique within a namespace.' };
const AGE = {
  ...col('Age'),
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

function age(o: Obj, now: number): string {
  return since(o.metadata?.creationTimestamp, now);
}

function containersAndImages(template: Obj | undefined): [string, string] {
  const containers: Obj[] = template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(',')];
}

const pods: Printer = {
  columns: [
    NAME,
    col('Ready'),
    col('Status'),
    col('Restarts'),
    AGE,
    col('IP', 'string', 1),
    col('Node', 'string', 1),
    col('Nominated Node', 'string', 1),
    col('Readiness Gates', 'string', 1),
  ],
  cells(pod: Obj, now) {
    const s = summarizePod(pod);
    const restarts =
      s.restarts !== 0 && s.lastRestart
        ? `${s.restarts} (${since(s.lastRestart, now)} ago)`
        : String(s.restarts);
    const gates: Obj[] = pod.spec?.readinessGates ?? [];
    const conditions: Obj[] = pod.status?.conditions ?? [];
    const trueGates = gates.filter(
      (g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True',
    ).length;
    return [
      pod.metadata.name,
      s.ready,
      s.status,
      restarts,
      age(pod, now),
      pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      gates.length ? `${trueGates}/${gates.length}` : '<none>',
    ];
  },
};

const deployments: Printer = {
  columns: [
    NAME,
    col('Ready'),
    col('Up-to-date', 'integer'),
    col('Available', 'integer'),
    AGE,
    col('Containers', 'string', 1),
    col('Images', 'string', 1),
    col('Selector', 'string', 1),
  ],
  cells(d: Obj, now) {
    const status = d.status ?? {};
    const [containers, images] = containersAndImages(d.spec?.template);
    return [
      d.metadata.name,
      `${status.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      age(d, now),
      containers,
      images,
      formatSpecSelector(d.spec?.selector),
    ];
  },
};

const replicasets: Printer = {
  columns: [
    NAME,
    col('Desired', 'integer'),
    col('Current', 'integer'),
    col('Ready', 'integer'),
    AGE,
    col('Containers', 'string', 1),
    col('Images', 'string', 1),
    col('Selector', 'string', 1),
  ],
  cells(rs: Obj, now) {
    const [containers, images] = containersAndImages(rs.spec?.template);
    return [
      rs.metadata.name,
      rs.spec?.replicas ?? 0,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      age(rs, now),
      containers,
      images,
      formatSpecSelector(rs.spec?.selector),
    ];
  },
};

const statefulsets: Printer = {
  columns: [NAME, col('Ready'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1)],
  cells(sts: Obj, now) {
    const [containers, images] = containersAndImages(sts.spec?.template);
    const ready = `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`;
    return [sts.metadata.name, ready, age(sts, now), containers, images];
  },
};

const daemonsets: Printer = {
  columns: [
    NAME,
    col('Desired', 'integer'),
    col('Current', 'integer'),
    col('Ready', 'integer'),
    col('Up-to-date', 'integer'),
    col('Available', 'integer'),
    col('Node Selector'),
    AGE,
    col('Containers', 'string', 1),
    col('Images', 'string', 1),
    col('Selector', 'string', 1),
  ],
  cells(ds: Obj, now) {
    const status = ds.status ?? {};
    const [containers, images] = containersAndImages(ds.spec?.template);
    const nodeSelector = Object.entries(
      (ds.spec?.template?.spec?.nodeSelector ?? {}) as Record<string, string>,
    )
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return [
      ds.metadata.name,
      status.desiredNumberScheduled ?? 0,
      status.currentNumberScheduled ?? 0,
      status.numberReady ?? 0,
      status.updatedNumberScheduled ?? 0,
      status.numberAvailable ?? 0,
      nodeSelector || '<none>',
      age(ds, now),
      containers,
      images,
      formatSpecSelector(ds.spec?.selector),
    ];
  },
};

const controllerrevisions: Printer = {
  columns: [NAME, col('Controller'), col('Revision', 'integer'), AGE],
  cells(cr: Obj, now) {
    const owner = (cr.metadata.ownerReferences ?? []).find((r: Obj) => r.controller === true);
    const group = String(owner?.apiVersion ?? '').includes('/')
      ? `.${String(owner.apiVersion).split('/')[0]}`
      : '';
    const controller = owner ? `${String(owner.kind).toLowerCase()}${group}/${owner.name}` : '<none>';
    return [cr.metadata.name, controller, cr.revision ?? 0, age(cr, now)];
  },
};

function nodeRoles(labels: Record<string, string>): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const nodes: Printer = {
  columns: [
    NAME,
    col('Status'),
    col('Roles'),
    AGE,
    col('Version'),
    col('Internal-IP', 'string', 1),
    col('External-IP', 'string', 1),
    col('OS-Image', 'string', 1),
    col('Kernel-Version', 'string', 1),
    col('Container-Runtime', 'string', 1),
  ],
  cells(n: Obj, now) {
    const ready = (n.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
    const states = [
      ready
        ? ready.status === 'True'
          ? 'Ready'
          : ready.status === 'False'
            ? 'NotReady'
            : 'Unknown'
        : 'Unknown',
    ];
    if (n.spec?.unschedulable) states.push('SchedulingDisabled');
    const address = (type: string) =>
      (n.status?.addresses ?? []).find((a: Obj) => a.type === type)?.address || '<none>';
    const info = n.status?.nodeInfo ?? {};
    return [
      n.metadata.name,
      states.join(','),
      nodeRoles(n.metadata.labels ?? {}),
      age(n, now),
      info.kubeletVersion ?? '',
      address('InternalIP'),
      address('ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};

const events: Printer = {
  columns: [
    col('Last Seen'),
    col('Type'),
    col('Reason'),
    col('Object'),
    col('Subobject', 'string', 1),
    col('Source', 'string', 1),
    col('Message'),
    col('First Seen', 'string', 1),
    col('Count', 'integer', 1),
    NAME,
  ].map((c) => (c === NAME ? { ...NAME, priority: 1 } : c)),
  cells(e: Obj, now) {
    const first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
    let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
    let count = e.count || 1;
    if (e.series) {
      last = since(e.series.lastObservedTime, now);
      count = e.series.count;
    }
    const involved = e.involvedObject ?? {};
    const kind = String(involved.kind ?? '').toLowerCase();
    const source = e.source?.component
      ? `${e.source.component}${e.source.host ? `, ${e.source.host}` : ''}`
      : `${e.reportingComponent ?? ''}${e.reportingInstance ? `, ${e.reportingInstance}` : ''}`;
    return [
      last,
      e.type ?? '',
      e.reason ?? '',
      involved.name ? `${kind}/${involved.name}` : kind,
      involved.fieldPath ?? '',
      source,
      String(e.message ?? '').trim(),
      first,
      count,
      e.metadata.name,
    ];
  },
};

const namespaces: Printer = {
  columns: [NAME, col('Status'), AGE],
  cells: (n: Obj, now) => [n.metadata.name, n.status?.phase ?? '', age(n, now)],
};

const configmaps: Printer = {
  columns: [NAME, col('Data', 'integer'), AGE],
  cells: (c: Obj, now) => [
    c.metadata.name,
    Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length,
    age(c, now),
  ],
};

const secrets: Printer = {
  columns: [NAME, col('Type'), col('Data', 'integer'), AGE],
  cells: (s: Obj, now) => [s.metadata.name, s.type ?? '', Object.keys(s.data ?? {}).length, age(s, now)],
};

const serviceaccounts: Printer = {
  columns: [NAME, col('Secrets', 'integer'), AGE],
  cells: (s: Obj, now) => [s.metadata.name, (s.secrets ?? []).length, age(s, now)],
};

const generic: Printer = {
  columns: [NAME, { ...col('Created At', 'date', 0, ''), description: AGE.description }],
  cells: (o: Obj) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};

const BY_KIND: Record<string, Printer> = {
  Pod: pods,
  Deployment: deployments,
  ReplicaSet: replicasets,
  StatefulSet: statefulsets,
  DaemonSet: daemonsets,
  ControllerRevision: controllerrevisions,
  Node: nodes,
  Event: events,
  Namespace: namespaces,
  ConfigMap: configmaps,
  Secret: secrets,
  ServiceAccount: serviceaccounts,
};

/** The printer the real server uses for `kind` (the generic Name/Created At one otherwise). */
export function printerFor(kind: string): Printer {
  return BY_KIND[kind] ?? generic;
}
