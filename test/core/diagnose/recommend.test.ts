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
      'kubectl create secret docker-registry regcred -n shop --docker-server=private.local:5000 --docker-username=<user> --docker-password=<password>';
    expect(recommend('PULL_AUTH', context).commands).toEqual([
      create,
      `kubectl patch -n shop deployment/web -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"regcred"}]}}}}'`,
    ]);
    expect(recommend('PULL_AUTH', { ...context, kind: 'Pod', name: 'p' }).commands).toEqual([
      create,
      `kubectl patch serviceaccount default -n shop -p '{"imagePullSecrets":[{"name":"regcred"}]}'`,
    ]);
  });
});
