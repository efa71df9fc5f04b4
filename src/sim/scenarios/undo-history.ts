import { actions } from './actions.js';
import { appImage } from './images.js';
import type { Scenario } from './types.js';

/** Scenario 7: three revisions, `rollout history`, `rollout undo --to-revision`. */
export const undoHistory: Scenario = {
  id: 7,
  slug: 'undo-history',
  title: 'rollout history and undo across three revisions',
  seed: '§6.3',
  story:
    'v1, v2 and v3 are rolled out one after the other, each with a change-cause. `kubectl rollout ' +
    "undo --to-revision=1` brings back v1's template as revision 4 (revision 1 disappears from " +
    "the history), and the pods run v1's digest again.",
  async setup(cluster, options = {}) {
    const namespace = options.namespace ?? 'scenario-7';
    const registry = cluster.registry!;
    const act = actions(cluster, namespace);
    const ref = (v: string) => `${registry.name}/${namespace}/app:${v}`;
    const pushed: Record<string, { reference: string; digest: string }> = {};
    for (const v of ['v1', 'v2', 'v3']) {
      pushed[v] = {
        reference: ref(v),
        digest: (await cluster.pushImage(ref(v), appImage(v, namespace))).digest,
      };
    }
    await act.namespace();
    await act.deploy({ name: 'web', image: ref('v1'), replicas: 2, changeCause: 'deploy v1' });
    const release = (v: string) => [
      {
        title: `set image ${v}`,
        kubectl: ['set', 'image', 'deployment/web', `app=${ref(v)}`, '-n', namespace],
        run: () => act.setImage('web', ref(v), `deploy ${v}`),
      },
      {
        title: `record the change-cause of ${v}`,
        kubectl: [
          'annotate',
          '--overwrite',
          'deployment/web',
          `kubernetes.io/change-cause=deploy ${v}`,
          '-n',
          namespace,
        ],
        run: async () => {},
      },
      {
        title: `wait for ${v}`,
        kubectl: ['rollout', 'status', 'deployment/web', '-n', namespace, '--timeout=30s'],
        run: () => act.waitForRollout('web'),
      },
    ];
    return {
      namespace,
      images: pushed,
      steps: [
        ...release('v2'),
        ...release('v3'),
        {
          title: 'go back to the first release',
          kubectl: ['rollout', 'undo', 'deployment/web', '--to-revision=1', '-n', namespace],
          run: () => act.undo('web', 1),
        },
      ],
      expected: [{ name: 'web', running: [{ digest: pushed.v1!.digest }], revisions: [2, 3, 4] }],
    };
  },
};
