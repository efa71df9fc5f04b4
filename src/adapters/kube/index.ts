/**
 * The Kubernetes adapter: the only code that talks to a cluster.
 *
 * The kubeconfig is resolved as kubectl does (`--kubeconfig`, then `KUBECONFIG`'s files, then
 * `~/.kube/config`; `--context`; the context's namespace) and @kubernetes/client-node applies its
 * credentials: client certificates, bearer tokens, exec and auth-provider plugins, CA bundles and
 * proxies. Requests are plain JSON over HTTP(S), so objects keep the server's exact shape.
 *
 * Every failure is a `KUBE_*` error: `KUBE_NOT_FOUND`, `KUBE_FORBIDDEN` (RBAC), `KUBE_UNAUTHORIZED`,
 * `KUBE_CONFLICT`, `KUBE_UNREACHABLE`, `KUBE_TIMEOUT` (`--request-timeout`), `KUBE_SERVER_ERROR`,
 * `KUBE_GONE` (watch position expired). Messages are the server's Status message, never headers,
 * tokens or bodies. Lists are one request each (no paging), so a caller's request count does not
 * grow with the cluster.
 */
export { HttpKubeClient, type KubeClientOptions } from './client.js';
export { type KubeconfigSource, loadKubeConfig } from './config.js';
export { connectionError, type RequestTarget, statusError, translateKubeError } from './errors.js';
export { RESOURCE_PATHS, resourcePath } from './resources.js';
