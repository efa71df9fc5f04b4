import { isLoopbackRegistry } from '../../image-ref/index.js';
import type { ContainerRule } from '../rule.js';

export const IMG007: ContainerRule = {
  meta: {
    id: 'IMG007',
    name: 'loopback-registry',
    title: 'Image comes from a localhost or loopback registry',
    defaultSeverity: 'warning',
    why: 'Every node resolves localhost to itself. An image pushed to a registry on your machine (localhost:5000) is only found by a node that runs its own registry with that image; the others fail to pull.',
    fix: 'Push to a registry every node can reach by a real name, or mirror localhost:5000 in /etc/rancher/k3s/registries.yaml on every node.',
  },
  check(context) {
    if (context.ref === undefined || !isLoopbackRegistry(context.ref)) return undefined;
    return {
      message: `image "${context.image}" comes from the loopback registry "${context.ref.registry}": each node pulls from itself, not from the machine that pushed it`,
      remedy: {
        text: 'push to a registry the nodes can reach, or mirror it in registries.yaml on every node',
        commands: [],
      },
      evidence: { registry: context.ref.registry },
    };
  },
};
