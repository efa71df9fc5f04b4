import { buildImage } from '../images/index.js';
import { actions } from './actions.js';
import { appImage } from './images.js';
import type { Scenario } from './types.js';

/** Scenario 1: `:latest` + `IfNotPresent`; a new image pushed under the same tag never runs. */
export const staleLatest: Scenario = {
  id: 1,
  slug: 'stale-latest',
  title: 'rollout restart keeps running the old :latest',
  seed: '§1.2, §2.1, §4.3',
  story:
    'The Deployment says image app:latest with imagePullPolicy IfNotPresent. v2 is pushed under the ' +
    'same tag and `kubectl rollout restart` creates new pods, but every node already has an image ' +
    'tagged app:latest (v1), so the kubelet never asks the registry: the new pods run v1. With ' +
    'imagePullPolicy Always the kubelet resolves the tag at each start and gets v2.',
  async setup(cluster, options = {}) {
    const namespace = options.namespace ?? 'scenario-1';
    const registry = cluster.registry!;
    const reference = `${registry.name}/${namespace}/app:latest`;
    const act = actions(cluster, namespace);
    const v1 = await cluster.pushImage(reference, appImage('v1', namespace));
    const v2Image = appImage('v2', namespace);
    await act.namespace();
    await act.deploy({
      name: 'web',
      image: reference,
      replicas: cluster.nodeNames.length,
      pullPolicy: 'IfNotPresent',
    });
    const v2 = buildImage(v2Image).digest;
    return {
      namespace,
      images: { v1: { reference, digest: v1.digest }, v2: { reference, digest: v2 } },
      steps: [
        {
          title: 'push v2 under the same tag (docker build -t app:latest . && docker push)',
          run: async () => {
            await cluster.pushImage(reference, v2Image);
          },
        },
        {
          title: 'restart the Deployment',
          kubectl: ['rollout', 'restart', 'deployment/web', '-n', namespace],
          run: () => act.restart('web'),
        },
      ],
      expected: [{ name: 'web', running: [{ digest: v1.digest }] }],
      fix: {
        steps: [
          {
            title: 'set imagePullPolicy: Always',
            kubectl: [
              'patch',
              'deployment/web',
              '-n',
              namespace,
              '-p',
              '{"spec":{"template":{"spec":{"containers":[{"name":"app","imagePullPolicy":"Always"}]}}}}',
            ],
            run: () => act.setPullPolicy('web', 'Always'),
          },
        ],
        expected: [{ name: 'web', running: [{ digest: v2 }] }],
      },
    };
  },
};
