import { actions, deploymentObject } from './actions.js';
import { appImage } from './images.js';
import type { Scenario } from './types.js';

/** Scenario 4: a registry on one node's `localhost`; the other nodes cannot reach it. */
export const localhostRegistry: Scenario = {
  id: 4,
  slug: 'localhost-registry',
  title: 'localhost registry reachable from one node only',
  seed: '§3.3, appendix',
  story:
    'The registry runs on the server node and the manifest says localhost:PORT/app. Every node ' +
    'resolves localhost to itself: the server pulls, the agents get "connection refused" and stay ' +
    'in ErrImagePull / ImagePullBackOff.',
  async setup(cluster, options = {}) {
    const namespace = options.namespace ?? 'scenario-4';
    const registry = cluster.registry!;
    const reference = `${registry.localName}/${namespace}/app:v1`;
    const act = actions(cluster, namespace);
    const pushed = await cluster.pushImage(reference, appImage('v1', namespace));
    await act.namespace();
    const web = { name: 'web', image: reference, replicas: cluster.nodeNames.length } as const;
    const onRegistryNode = registry.node === undefined ? [] : [registry.node];
    return {
      namespace,
      images: { v1: { reference, digest: pushed.digest } },
      steps: [
        {
          title: 'deploy the image from the localhost registry',
          kubectl: ['apply', '-n', namespace, '-f', '-'],
          stdin: JSON.stringify(deploymentObject(namespace, web)),
          run: () => act.deploy(web, false),
        },
      ],
      expected: [
        {
          name: 'web',
          running: [{ digest: pushed.digest, nodes: onRegistryNode }],
          waiting: [
            {
              reasons: ['ErrImagePull', 'ImagePullBackOff'],
              message: `dial tcp 127.0.0.1:${registry.port}: connect: connection refused`,
              nodes: cluster.nodeNames.filter((n) => !onRegistryNode.includes(n)),
            },
          ],
        },
      ],
    };
  },
};
