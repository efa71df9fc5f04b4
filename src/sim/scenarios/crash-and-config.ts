import { buildImage } from '../images/index.js';
import { actions, deploymentObject } from './actions.js';
import { appImage, crashingImage } from './images.js';
import type { Scenario } from './types.js';

const CRASH_LOG = 'panic: config: DATABASE_URL is not set';

/** Scenario 6: a v2 that crashes, and a missing ConfigMap key. */
export const crashAndConfig: Scenario = {
  id: 6,
  slug: 'crash-and-config',
  title: 'CrashLoopBackOff and CreateContainerConfigError',
  seed: '§5.4, §6.2',
  story:
    'v2 starts and exits with an error, so its pod goes CrashLoopBackOff; the rolling update stalls ' +
    'with the v1 pods still serving, and `kubectl logs --previous` shows why it died. A second ' +
    'Deployment reads an env var from a ConfigMap key that does not exist: CreateContainerConfigError.',
  async setup(cluster, options = {}) {
    const namespace = options.namespace ?? 'scenario-6';
    const registry = cluster.registry!;
    const act = actions(cluster, namespace);
    const v1Ref = `${registry.name}/${namespace}/app:v1`;
    const v2Ref = `${registry.name}/${namespace}/app:v2`;
    const v1 = await cluster.pushImage(v1Ref, appImage('v1', namespace));
    const v2Image = crashingImage('v2', ['app v2 starting', CRASH_LOG]);
    await act.namespace();
    await act.configMap('app-config', { LOG_LEVEL: 'info' });
    await act.deploy({ name: 'web', image: v1Ref, replicas: 2 });
    const configured = {
      name: 'configured',
      image: v1Ref,
      env: [
        {
          name: 'DATABASE_URL',
          valueFrom: { configMapKeyRef: { name: 'app-config', key: 'DATABASE_URL' } },
        },
      ],
    };
    return {
      namespace,
      images: {
        v1: { reference: v1Ref, digest: v1.digest },
        v2: { reference: v2Ref, digest: buildImage(v2Image).digest },
      },
      steps: [
        {
          title: 'push v2',
          run: async () => {
            await cluster.pushImage(v2Ref, v2Image);
          },
        },
        {
          title: 'roll out v2',
          kubectl: ['set', 'image', 'deployment/web', `app=${v2Ref}`, '-n', namespace],
          run: () => act.setImage('web', v2Ref),
        },
        {
          title: 'deploy an app that reads a ConfigMap key nobody created',
          kubectl: ['apply', '-n', namespace, '-f', '-'],
          stdin: JSON.stringify(deploymentObject(namespace, configured)),
          run: () => act.deploy(configured, false),
        },
      ],
      expected: [
        {
          name: 'web',
          running: [{ digest: v1.digest, image: v1Ref }],
          waiting: [{ reasons: ['CrashLoopBackOff'], message: 'back-off', image: v2Ref }],
          previousLogs: CRASH_LOG,
        },
        {
          name: 'configured',
          waiting: [
            {
              reasons: ['CreateContainerConfigError'],
              message: `couldn't find key DATABASE_URL in ConfigMap ${namespace}/app-config`,
            },
          ],
        },
      ],
    };
  },
};
