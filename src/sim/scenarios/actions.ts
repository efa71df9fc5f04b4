import { apiTime } from '../clock.js';
import type { SimCluster } from '../cluster/index.js';
import { scenarioApi } from './api.js';
import { waitForRollout } from './wait.js';

// biome-ignore lint/suspicious/noExplicitAny: API objects are built and read as JSON
type Any = any;

const deployments = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`;

export interface DeploymentInput {
  readonly name: string;
  readonly image: string;
  readonly replicas?: number;
  /** Omitted: the API server's default (Always for `:latest`, else IfNotPresent). */
  readonly pullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  readonly env?: readonly Record<string, unknown>[];
  readonly changeCause?: string;
}

/** A Deployment as `kubectl create deployment` (plus `-o yaml` edits) would write it. */
export function deploymentObject(namespace: string, input: DeploymentInput): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: input.name,
      namespace,
      labels: { app: input.name },
      ...(input.changeCause ? { annotations: { 'kubernetes.io/change-cause': input.changeCause } } : {}),
    },
    spec: {
      replicas: input.replicas ?? 1,
      selector: { matchLabels: { app: input.name } },
      template: {
        metadata: { labels: { app: input.name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: input.image,
              ...(input.pullPolicy ? { imagePullPolicy: input.pullPolicy } : {}),
              ...(input.env ? { env: input.env } : {}),
            },
          ],
        },
      },
    },
  };
}

/** Scenario actions over the API, each what the named kubectl command sends. */
export function actions(cluster: SimCluster, namespace: string) {
  const api = scenarioApi(cluster.apiUrl);
  const path = (name: string) => `${deployments(namespace)}/${name}`;
  return {
    async namespace(): Promise<void> {
      await api.create('/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
    },
    async configMap(name: string, data: Record<string, string>): Promise<void> {
      await api.create(`/api/v1/namespaces/${namespace}/configmaps`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace },
        data,
      });
    },
    async deploy(input: DeploymentInput, wait = true): Promise<void> {
      await api.create(deployments(namespace), deploymentObject(namespace, input));
      if (wait) await waitForRollout(cluster.store, namespace, input.name);
    },
    /** `kubectl rollout restart`: a new template annotation, so a new ReplicaSet. */
    async restart(name: string): Promise<void> {
      await api.patch(path(name), {
        spec: {
          template: {
            metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': apiTime(cluster.clock.now()) } },
          },
        },
      });
    },
    /** `kubectl set image deployment/NAME app=IMAGE` (+ `kubectl annotate … change-cause`). */
    async setImage(name: string, image: string, changeCause?: string): Promise<void> {
      await api.patch(path(name), {
        ...(changeCause ? { metadata: { annotations: { 'kubernetes.io/change-cause': changeCause } } } : {}),
        spec: { template: { spec: { containers: [{ name: 'app', image }] } } },
      });
    },
    /** `kubectl patch` of the container's pull policy. */
    async setPullPolicy(name: string, policy: 'Always' | 'IfNotPresent' | 'Never'): Promise<void> {
      await api.patch(path(name), {
        spec: { template: { spec: { containers: [{ name: 'app', imagePullPolicy: policy }] } } },
      });
    },
    /**
     * `kubectl rollout undo [--to-revision=N]`: kubectl copies the chosen ReplicaSet's template
     * (without `pod-template-hash`) and its change-cause back onto the Deployment.
     */
    async undo(name: string, toRevision?: number): Promise<void> {
      const deployment = (await api.get(path(name))) as Any;
      const list = (await api.get(`/apis/apps/v1/namespaces/${namespace}/replicasets`)) as Any;
      const owned = (list.items as Any[])
        .filter((rs) => rs.metadata.ownerReferences?.some((o: Any) => o.uid === deployment.metadata.uid))
        .map((rs) => ({
          rs,
          revision: Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0),
        }))
        .sort((a, b) => b.revision - a.revision);
      const target = toRevision === undefined ? owned[1] : owned.find((o) => o.revision === toRevision);
      if (!target)
        throw new Error(`unable to find specified revision ${toRevision ?? 'previous'} in history`);
      const template = structuredClone(target.rs.spec.template);
      delete template.metadata?.labels?.['pod-template-hash'];
      const cause = target.rs.metadata.annotations?.['kubernetes.io/change-cause'];
      const annotations = { ...(deployment.metadata.annotations ?? {}) };
      if (cause === undefined) delete annotations['kubernetes.io/change-cause'];
      else annotations['kubernetes.io/change-cause'] = cause;
      const response = await fetch(`${cluster.apiUrl}${path(name)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json-patch+json' },
        body: JSON.stringify([
          { op: 'replace', path: '/spec/template', value: template },
          { op: 'replace', path: '/metadata/annotations', value: annotations },
        ]),
      });
      if (!response.ok) throw new Error(`rollout undo ${name}: ${response.status} ${await response.text()}`);
    },
    async waitForRollout(name: string): Promise<void> {
      await waitForRollout(cluster.store, namespace, name);
    },
  };
}
