import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImageArchive } from '../../../src/adapters/build/index.js';
import { HttpKubeClient } from '../../../src/adapters/kube/index.js';
import { RegistryClient } from '../../../src/adapters/registry/index.js';
import { lookupWith } from '../../../src/cli/registry-flags.js';
import type { DeployDeps } from '../../../src/pipeline/deploy/index.js';
import type { PipelineEvent } from '../../../src/ports/events.js';
import type { KubeClient } from '../../../src/ports/kube.js';
import type { SimCluster } from '../../../src/sim/cluster/index.js';
import { buildImage, type ImageSpec, writeOciLayout } from '../../../src/sim/images/index.js';

/** A registry client on this machine that reaches the sim's registries by the names nodes use. */
export async function simRegistryClient(cluster: SimCluster): Promise<RegistryClient> {
  const lookup = await lookupWith(cluster.registries().map((r) => `${r.name.split(':')[0]}=127.0.0.1`));
  return new RegistryClient({
    insecureRegistries: cluster.registries().map((r) => r.name),
    timeoutMs: 10_000,
    ...(lookup ? { lookup } : {}),
  });
}

/** Deploy dependencies against a sim cluster, recording every event. */
export async function simDeps(
  cluster: SimCluster,
  overrides: Partial<DeployDeps> = {},
): Promise<{ deps: DeployDeps; events: PipelineEvent[]; kube: KubeClient }> {
  const kube = new HttpKubeClient({ kubeconfig: cluster.kubeconfigPath });
  const events: PipelineEvent[] = [];
  const deps: DeployDeps = {
    kube,
    registry: await simRegistryClient(cluster),
    events: { emit: (e) => events.push(e) },
    readArchive: readImageArchive,
    ...overrides,
  };
  return { deps, events, kube };
}

/** Writes `spec` as an OCI layout in a new temp dir; returns the dir and the image digest. */
export async function ociLayoutOf(spec: ImageSpec): Promise<{ dir: string; digest: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'kubefresh-oci-'));
  const image = buildImage(spec);
  writeOciLayout(dir, image);
  return { dir, digest: image.digest };
}

/** The container images and imageIDs of a deployment's ready pods, from the store. */
export function podImages(
  cluster: SimCluster,
  namespace: string,
  app: string,
): { image: string; imageID: string; node: string }[] {
  // biome-ignore lint/suspicious/noExplicitAny: pod JSON
  const pods = cluster.store.list('pods', { namespace }).items as any[];
  return pods
    .filter((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp)
    .map((p) => ({
      image: p.spec.containers[0].image,
      imageID: p.status?.containerStatuses?.[0]?.imageID ?? '',
      node: p.spec.nodeName,
    }));
}
