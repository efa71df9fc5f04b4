import { describe, expect, it } from 'vitest';
import { recommend } from '../../../src/core/diagnose/recommend.js';

const web = { kind: 'Deployment', namespace: 'shop', name: 'web', container: 'app' } as const;

describe('recommend', () => {
  it('PULL_NEVER_NOT_PRESENT: the pull policy is patched before the deploy, which would fail under Never', () => {
    const { commands } = recommend('PULL_NEVER_NOT_PRESENT', {
      ...web,
      specImage: 'app:dev',
      registryHost: 'docker.io',
      repository: 'docker.io/library/app',
    });
    expect(commands).toEqual([
      `kubectl patch -n shop deployment/web -p '{"spec":{"template":{"spec":{"containers":[{"name":"app","imagePullPolicy":"IfNotPresent"}]}}}}'`,
      "kubefresh deploy -n shop deployment/web --image '<registry every node reaches>/app'",
    ]);
  });

  it('LOCAL_IMPORT: an unqualified image is not pushed to Docker Hub library/; a qualified one is pushed where it says', () => {
    const imported = { ...web, specImage: 'app:dev', registryHost: 'docker.io' };
    expect(recommend('LOCAL_IMPORT', { ...imported, repository: 'docker.io/library/app' }).commands).toEqual([
      "kubefresh deploy -n shop deployment/web --image '<registry every node reaches>/app'",
    ]);
    expect(
      recommend('LOCAL_IMPORT', { ...imported, repository: 'registry.local:5000/team/app' }).commands,
    ).toEqual(['kubefresh deploy -n shop deployment/web --image registry.local:5000/team/app']);
  });

  it('PULL_AUTH: a workload gets the secret in its template (new pods); a bare pod through its service account', () => {
    const context = { ...web, registryHost: 'private.local:5000' };
    const create =
      "kubectl create secret docker-registry regcred -n shop --docker-server=private.local:5000 '--docker-username=<user>' '--docker-password=<password>'";
    expect(recommend('PULL_AUTH', context).commands).toEqual([
      create,
      `kubectl patch -n shop deployment/web -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"regcred"}]}}}}'`,
    ]);
    expect(recommend('PULL_AUTH', { ...context, kind: 'Pod', name: 'p' }).commands).toEqual([
      create,
      `kubectl patch serviceaccount default -n shop -p '{"imagePullSecrets":[{"name":"regcred"}]}'`,
    ]);
  });

  it('PULL_UNREACHABLE: a remote host gets a deploy to a registry every node reaches, or a mirror for that host', () => {
    const context = {
      ...web,
      specImage: 'registry.gone.example:5000/team/app:v1',
      registryHost: 'registry.gone.example:5000',
      repository: 'registry.gone.example:5000/team/app',
    };
    const mirror = [
      '# on every node; where /etc/rancher/k3s/registries.yaml exists, merge this entry into it instead',
      "test -e /etc/rancher/k3s/registries.yaml || sudo tee /etc/rancher/k3s/registries.yaml <<'EOF'",
      'mirrors:',
      '  "registry.gone.example:5000":',
      '    endpoint:',
      '      - "https://<registry every node reaches>"',
      'EOF',
      '# then: sudo systemctl restart k3s (servers) or k3s-agent (agents)',
    ].join('\n');
    expect(recommend('PULL_UNREACHABLE', context).commands).toEqual([
      "kubefresh deploy -n shop deployment/web --image '<registry every node reaches>/team/app'",
      mirror,
    ]);
    // A bare pod has no template to deploy into: only the mirror helps.
    expect(recommend('PULL_UNREACHABLE', { ...context, kind: 'Pod', name: 'p' }).commands).toEqual([mirror]);
    // Docker Hub's official images lose their library/ prefix, as when imported.
    const hub = { ...web, registryHost: 'docker.io', repository: 'docker.io/library/app' };
    expect(recommend('PULL_UNREACHABLE', hub).commands[0]).toBe(
      "kubefresh deploy -n shop deployment/web --image '<registry every node reaches>/app'",
    );
  });

  it('PULL_UNREACHABLE: a localhost registry gets only the mirror, to the node that runs it when known', () => {
    const context = { ...web, registryHost: 'localhost:5000', repository: 'localhost:5000/app' };
    expect(
      recommend('PULL_UNREACHABLE', { ...context, reachableRegistry: '10.0.0.1:5000' }).commands,
    ).toEqual([
      expect.stringContaining(
        'mirrors:\n  "localhost:5000":\n    endpoint:\n      - "http://10.0.0.1:5000"\nEOF',
      ),
    ]);
    expect(recommend('PULL_UNREACHABLE', context).commands).toEqual([
      expect.stringContaining('      - "http://<host-every-node-reaches>:5000"'),
    ]);
  });
});
