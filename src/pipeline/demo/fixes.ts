import { comment, shellCommand } from '../../core/shell/index.js';
import type { DemoCluster, PreparedDemoScenario } from './types.js';

/** One step of a scenario's fix, as the user would type it. */
export type DemoFix =
  /** `kubefresh deploy deployment/NAME --image IMAGE --no-build`: pin the tag's digest and verify. */
  | { readonly kind: 'deploy'; readonly deployment: string; readonly image: string }
  /** A strategic merge patch, shown as the `kubectl patch` that sends it. */
  | { readonly kind: 'patch'; readonly deployment: string; readonly patch: unknown }
  /** Push the locally built image to a registry every node reaches. */
  | { readonly kind: 'push'; readonly reference: string; readonly label: string };

/**
 * The fix kubefresh applies for each of the seed's first four scenarios: always a deploy by
 * digest, after making the image reachable where it was not (3, 4).
 */
export function fixesFor(slug: string, prepared: PreparedDemoScenario, cluster: DemoCluster): DemoFix[] {
  const ns = prepared.namespace;
  switch (slug) {
    case 'stale-latest':
    case 'mixed-digests':
      return [{ kind: 'deploy', deployment: 'web', image: prepared.images.v2?.reference ?? '' }];
    case 'imported-one-node': {
      const reference = `${cluster.registryName}/${ns}/app:dev`;
      return [
        { kind: 'push', reference, label: 'dev' },
        {
          kind: 'patch',
          deployment: 'web-never',
          patch: {
            spec: { template: { spec: { containers: [{ name: 'app', imagePullPolicy: 'IfNotPresent' }] } } },
          },
        },
        { kind: 'deploy', deployment: 'web', image: reference },
        { kind: 'deploy', deployment: 'web-never', image: reference },
      ];
    }
    case 'localhost-registry':
      return [{ kind: 'deploy', deployment: 'web', image: `${cluster.registryName}/${ns}/app:v1` }];
    default:
      return [];
  }
}

/** The command line a fix stands for. */
export function fixCommand(fix: DemoFix, namespace: string): string {
  switch (fix.kind) {
    case 'deploy':
      return shellCommand([
        'kubefresh',
        'deploy',
        `deployment/${fix.deployment}`,
        '-n',
        namespace,
        '--image',
        fix.image,
        '--no-build',
      ]);
    case 'patch':
      return shellCommand([
        'kubectl',
        'patch',
        `deployment/${fix.deployment}`,
        '-n',
        namespace,
        '-p',
        JSON.stringify(fix.patch),
      ]);
    case 'push':
      return `${shellCommand(['skopeo', 'copy', `oci:./app-${fix.label}`, `docker://${fix.reference}`])}   ${comment('push to a registry every node reaches')}`;
  }
}
