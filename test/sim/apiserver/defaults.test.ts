import { describe, expect, it } from 'vitest';
import { applyDefaults, defaultPullPolicy } from '../../../src/sim/apiserver/defaults.js';
import type { KubeObject } from '../../../src/sim/store/index.js';

describe('imagePullPolicy defaulting (semantics §1)', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
    [`nginx:1.25@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['MyApp:v1', 'IfNotPresent'],
  ])('%s → %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  it('keeps a stored policy when the image later changes to :latest', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'app:v1' }] },
    } as KubeObject;
    applyDefaults(pod, true);
    (pod.spec as { containers: { image: string }[] }).containers[0]!.image = 'app:latest';
    applyDefaults(pod, false);
    expect((pod.spec as { containers: { imagePullPolicy: string }[] }).containers[0]!.imagePullPolicy).toBe(
      'IfNotPresent',
    );
  });
});

describe('object defaulting', () => {
  it('defaults a new pod like the API server and its admission plugins', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }] }] },
    } as KubeObject;
    applyDefaults(pod, true);
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      enableServiceLinks: true,
      containers: [
        {
          imagePullPolicy: 'Always',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          resources: {},
          ports: [{ containerPort: 80, protocol: 'TCP' }],
        },
      ],
    });
    expect((pod.spec as { tolerations: unknown[] }).tolerations).toHaveLength(2);
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('defaults a deployment and its pod template, without admission fields', () => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'app:1' }] } } },
    } as KubeObject;
    applyDefaults(deploy, true);
    expect(deploy.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      template: { spec: { restartPolicy: 'Always', containers: [{ imagePullPolicy: 'IfNotPresent' }] } },
    });
    expect(
      (deploy.spec as { template: { spec: Record<string, unknown> } }).template.spec.serviceAccountName,
    ).toBeUndefined();
  });

  it('drops the null creationTimestamp kubectl rollout undo sends in templates', () => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        template: { metadata: { creationTimestamp: null, labels: { a: 'b' } }, spec: { containers: [] } },
      },
    } as unknown as KubeObject;
    applyDefaults(deploy, false);
    expect((deploy.spec as { template: { metadata: unknown } }).template.metadata).toEqual({
      labels: { a: 'b' },
    });
  });

  it('leaves Recreate deployments without rollingUpdate', () => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { strategy: { type: 'Recreate' }, template: { spec: { containers: [] } } },
    } as KubeObject;
    applyDefaults(deploy, true);
    expect((deploy.spec as { strategy: unknown }).strategy).toEqual({ type: 'Recreate' });
  });
});
