import { actions, deploymentObject } from './actions.js';
import { appImage } from './images.js';
import type { Scenario } from './types.js';

/** Scenario 3: an image imported into one node only; pods elsewhere cannot get it. */
export const importedOneNode: Scenario = {
  id: 3,
  slug: 'imported-one-node',
  title: 'image imported on one node only',
  seed: '§1.1, §3.3',
  story:
    "The image was built and imported into the server node's containerd (`k3s ctr images import`) " +
    'and never pushed. Pods scheduled there start; on the other nodes IfNotPresent tries the ' +
    'registry (docker.io, which does not have it) and fails with ErrImagePull / ImagePullBackOff, ' +
    'and Never fails at once with ErrImageNeverPull.',
  async setup(cluster, options = {}) {
    const namespace = options.namespace ?? 'scenario-3';
    const reference = `${namespace}-app:dev`;
    const act = actions(cluster, namespace);
    const server = cluster.nodeNames[0]!;
    const agents = cluster.nodeNames.slice(1);
    const imported = await cluster.node(server).importImage(reference, appImage('dev', namespace));
    await act.namespace();
    const replicas = cluster.nodeNames.length;
    const web = { name: 'web', image: reference, replicas, pullPolicy: 'IfNotPresent' } as const;
    const never = { name: 'web-never', image: reference, replicas, pullPolicy: 'Never' } as const;
    return {
      namespace,
      images: { dev: { reference, digest: imported.id } },
      steps: [
        {
          title: 'deploy with imagePullPolicy IfNotPresent',
          kubectl: ['apply', '-n', namespace, '-f', '-'],
          stdin: JSON.stringify(deploymentObject(namespace, web)),
          run: () => act.deploy(web, false),
        },
        {
          title: 'deploy with imagePullPolicy Never',
          kubectl: ['apply', '-n', namespace, '-f', '-'],
          stdin: JSON.stringify(deploymentObject(namespace, never)),
          run: () => act.deploy(never, false),
        },
      ],
      expected: [
        {
          name: 'web',
          running: [{ digest: imported.id, nodes: [server] }],
          waiting: [
            { reasons: ['ErrImagePull', 'ImagePullBackOff'], message: 'no such host', nodes: agents },
          ],
        },
        {
          name: 'web-never',
          running: [{ digest: imported.id, nodes: [server] }],
          waiting: [
            {
              reasons: ['ErrImageNeverPull'],
              message: `Container image "${reference}" is not present with pull policy of Never`,
              nodes: agents,
            },
          ],
        },
      ],
    };
  },
};
