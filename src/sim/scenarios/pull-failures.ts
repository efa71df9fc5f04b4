import { actions, deploymentObject } from './actions.js';
import { appImage } from './images.js';
import type { Scenario, ScenarioStep } from './types.js';

/** The private registry scenario 5 adds (basic auth, no pull secret in the cluster). */
export const PRIVATE_REGISTRY_NAME = 'private.sim';

/** Scenario 5: a missing tag, an auth failure and an unreachable registry. */
export const pullFailures: Scenario = {
  id: 5,
  slug: 'pull-failures',
  title: 'missing tag, auth failure, unreachable registry',
  seed: '§5.3, §6.2',
  story:
    'Three Deployments that can never pull: a tag that was never pushed (not found), a private ' +
    'registry without an imagePullSecret (401 Unauthorized), and a registry host that does not ' +
    "resolve. Each pod goes ErrImagePull → ImagePullBackOff; the kubelet's message says which.",
  async setup(cluster, options = {}) {
    const namespace = options.namespace ?? 'scenario-5';
    const registry = cluster.registry!;
    const act = actions(cluster, namespace);
    const existing = cluster.registries().find((r) => r.name.startsWith(`${PRIVATE_REGISTRY_NAME}:`));
    const privateRegistry =
      existing ??
      (await cluster.addRegistry({
        name: PRIVATE_REGISTRY_NAME,
        auth: { type: 'basic', users: { ci: 'ci-secret' } },
      }));
    const pushed = await cluster.pushImage(`${registry.name}/${namespace}/app:v1`, appImage('v1', namespace));
    const privateRef = `${privateRegistry.name}/${namespace}/app:v1`;
    const privatePushed = await cluster.pushImage(privateRef, appImage('v1', namespace));
    await act.namespace();
    const apps = [
      { name: 'missing-tag', image: `${registry.name}/${namespace}/app:v9`, message: 'not found' },
      { name: 'no-credentials', image: privateRef, message: '401 Unauthorized' },
      {
        name: 'unreachable',
        image: `registry.unreachable.example:5000/${namespace}/app:v1`,
        message: 'dial tcp: lookup registry.unreachable.example',
      },
    ];
    const steps: ScenarioStep[] = apps.map((app) => {
      const input = { name: app.name, image: app.image, replicas: 1 };
      return {
        title: `deploy ${app.image}`,
        kubectl: ['apply', '-n', namespace, '-f', '-'],
        stdin: JSON.stringify(deploymentObject(namespace, input)),
        run: () => act.deploy(input, false),
      };
    });
    return {
      namespace,
      images: {
        v1: { reference: `${registry.name}/${namespace}/app:v1`, digest: pushed.digest },
        private: { reference: privateRef, digest: privatePushed.digest },
      },
      steps,
      expected: apps.map((app) => ({
        name: app.name,
        waiting: [{ reasons: ['ErrImagePull', 'ImagePullBackOff'], message: app.message }],
      })),
    };
  },
};
