/**
 * A whole simulated K3s-like cluster in one call: the object store (etcd), the API server real
 * kubectl talks to, the controllers (deployment, replicaset, scheduler, garbage collector), one
 * kubelet per node with its own containerd image cache, and an OCI registry.
 *
 * Node names follow K3s: the first node is the server (control plane), `k3s-server`; the others
 * are agents, `k3s-agent-1`, `k3s-agent-2`…
 *
 * What "where the registry runs" means here, since the seed's traps hinge on it:
 * - The cluster registry listens on this machine's `127.0.0.1:PORT` and is declared to run **on
 *   the server node**. So `localhost:PORT/app` and `127.0.0.1:PORT/app` pull on `k3s-server` only;
 *   on agents they fail with `connect: connection refused`, as a registry started with
 *   `docker run -p 5000:5000 registry` on one node does (seed §3.3, appendix).
 * - `registry.sim:PORT/app` is the name every node resolves; each node's registries.yaml has an
 *   `http://registry.sim:PORT` mirror for it, which is how K3s users set up an in-cluster HTTP
 *   registry. Use it in manifests that should work everywhere.
 * - From this machine (pushes, `kubefresh digest`), the same content is at `127.0.0.1:PORT`.
 * - Any other host fails to resolve on the nodes (`no such host`) unless
 *   `allowExternalRegistries` is set, so tests and demos never reach the internet.
 * `addRegistry({name, auth})` adds more network registries (e.g. a private one with auth).
 */

export { type AdminServer, type ImportRequest, startAdminServer } from './admin.js';
export { artifactOf, type ImageInput, importSpecFor } from './images.js';
export { parseRegistriesYaml } from './registries-yaml.js';
export {
  CLUSTER_REGISTRY_NAME,
  type SimCluster,
  type SimClusterOptions,
  type SimNode,
  type SimRegistry,
  startSimCluster,
} from './start.js';
export {
  processAlive,
  readSimState,
  removeSimState,
  type SimState,
  simStateDir,
  stateFile,
  writeSimState,
} from './state.js';
