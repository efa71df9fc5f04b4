import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKubeClient } from '../../../src/adapters/kube/index.js';
import type { PodObject } from '../../../src/core/diagnose/index.js';
import { loginsOf, pullSecretLogins } from '../../../src/pipeline/doctor/index.js';
import { kubeconfigYaml } from '../../../src/sim/apiserver/index.js';
import type { KubeObject } from '../../../src/sim/store/index.js';
import { type SimApi, startSimApi } from '../../sim/apiserver/fixtures.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

function dockerSecret(name: string, auths: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'default' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) },
  } as KubeObject;
}

describe('loginsOf', () => {
  it('reads auth, username/password, and normalizes Docker Hub keys', () => {
    const secret = dockerSecret('s', {
      'https://index.docker.io/v1/': { auth: b64('hub:pw:with:colons') },
      'http://registry.local:5000/v2/': { username: 'u', password: 'p' },
    });
    expect(Object.fromEntries(loginsOf(secret as never))).toEqual({
      'docker.io': { username: 'hub', password: 'pw:with:colons' },
      'registry.local:5000': { username: 'u', password: 'p' },
    });
  });

  it('reads legacy .dockercfg and ignores other secret types', () => {
    expect(
      Object.fromEntries(
        loginsOf({
          type: 'kubernetes.io/dockercfg',
          data: { '.dockercfg': b64(JSON.stringify({ 'r.io': { auth: b64('a:b') } })) },
        } as never),
      ),
    ).toEqual({ 'r.io': { username: 'a', password: 'b' } });
    expect(loginsOf({ type: 'Opaque', data: { x: b64('y') } } as never).size).toBe(0);
  });
});

describe('pullSecretLogins against the API server', () => {
  let sim: SimApi;
  let kube: HttpKubeClient;

  beforeAll(async () => {
    sim = await startSimApi();
    sim.store.create('secrets', dockerSecret('from-pod', { 'a.example:5000': { auth: b64('pod:pod-pw') } }));
    sim.store.create('secrets', dockerSecret('from-sa', { 'b.example': { auth: b64('sa:sa-pw') } }));
    sim.store.create('secrets', dockerSecret('unused', { 'c.example': { auth: b64('no:no') } }));
    sim.store.create('serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'builder', namespace: 'default' },
      imagePullSecrets: [{ name: 'from-sa' }],
    } as KubeObject);
    const dir = mkdtempSync(join(tmpdir(), 'kubefresh-ps-'));
    writeFileSync(join(dir, 'config'), kubeconfigYaml({ server: sim.api.url }));
    kube = new HttpKubeClient({ kubeconfig: join(dir, 'config') });
  });
  afterAll(async () => {
    await sim.api.close();
  });

  it("uses each pod's imagePullSecrets and its service account's, in two list calls", async () => {
    const pods: PodObject[] = [
      {
        metadata: { name: 'p', namespace: 'default' },
        spec: { imagePullSecrets: [{ name: 'from-pod' }], serviceAccountName: 'builder' },
      },
    ];
    const { logins, hints } = await pullSecretLogins(kube, 'default', pods);
    expect(hints).toEqual([]);
    expect(Object.fromEntries(logins)).toEqual({
      'a.example:5000': { username: 'pod', password: 'pod-pw' },
      'b.example': { username: 'sa', password: 'sa-pw' },
    });
  });
});
