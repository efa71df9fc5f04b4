import { buildImage } from '../images/index.js';
import { actions } from './actions.js';
import { appImage } from './images.js';
import type { Scenario } from './types.js';
import { podsOf, waitUntil } from './wait.js';

/** Scenario 2: nodes caching different digests for one tag → one Deployment runs two digests. */
export const mixedDigests: Scenario = {
  id: 2,
  slug: 'mixed-digests',
  title: 'one Deployment, one tag, two digests',
  seed: '§3.2, §3.3, §5.2',
  story:
    'A node pulled app:stable while it was v1. The tag then moved to v2. When the Deployment (pull ' +
    'policy IfNotPresent) scales out, that node starts its pod from its cached v1 while the other ' +
    'nodes pull v2: the same spec image runs two different digests, depending on the node.',
  async setup(cluster, options = {}) {
    const namespace = options.namespace ?? 'scenario-2';
    const reference = `${cluster.registry!.name}/${namespace}/app:stable`;
    const act = actions(cluster, namespace);
    const v1 = await cluster.pushImage(reference, appImage('v1', namespace));
    await act.namespace();
    // The first replica lands on one node and caches v1 there (the scheduler prefers the emptiest node).
    await act.deploy({ name: 'web', image: reference, replicas: 1, pullPolicy: 'IfNotPresent' });
    const first = await waitUntil('the first replica', () => podsOf(cluster.store, namespace, 'web')[0]);
    const firstNode = (first.spec as { nodeName: string }).nodeName;
    const v2Image = appImage('v2', namespace);
    const v2 = buildImage(v2Image).digest;
    return {
      namespace,
      images: { v1: { reference, digest: v1.digest }, v2: { reference, digest: v2 } },
      steps: [
        {
          title: 'push v2 under the same tag',
          run: async () => {
            await cluster.pushImage(reference, v2Image);
          },
        },
        {
          title: 'scale out to every node',
          kubectl: ['scale', 'deployment/web', '-n', namespace, `--replicas=${cluster.nodeNames.length}`],
          run: async () => {
            await fetch(`${cluster.apiUrl}/apis/apps/v1/namespaces/${namespace}/deployments/web/scale`, {
              method: 'PATCH',
              headers: { 'content-type': 'application/merge-patch+json' },
              body: JSON.stringify({ spec: { replicas: cluster.nodeNames.length } }),
            });
          },
        },
      ],
      expected: [
        {
          name: 'web',
          running: [
            { digest: v1.digest, nodes: [firstNode] },
            { digest: v2, nodes: cluster.nodeNames.filter((n) => n !== firstNode) },
          ],
        },
      ],
    };
  },
};
