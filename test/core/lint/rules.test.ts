import { describe, expect, it } from 'vitest';
import { type LintConfig, lintManifest } from '../../../src/core/lint/index.js';

const DIGEST = 'sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff';

function deployment(image: string | null, policy?: string, annotations = ''): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    ...(annotations ? ['  annotations:', `    kubefresh.io/ignore: "${annotations}"`] : []),
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: app',
    ...(image === null ? [] : [`          image: ${JSON.stringify(image)}`]),
    ...(policy ? [`          imagePullPolicy: ${policy}`] : []),
  ].join('\n');
}

function codes(text: string, config: LintConfig = {}): string[] {
  return lintManifest('k8s/web.yaml', text, config).map((f) => f.code);
}

function finding(text: string, code: string, config: LintConfig = {}) {
  return lintManifest('k8s/web.yaml', text, config).find((f) => f.code === code);
}

describe('image rules', () => {
  it.each<[string, string, string | undefined, boolean, LintConfig?]>([
    // [rule, image, policy, fires, config]
    ['IMG001', 'nginx', undefined, true],
    ['IMG001', 'nginx:latest', 'Always', true],
    ['IMG001', 'nginx:1.25.3', undefined, false],
    ['IMG001', `nginx@${DIGEST}`, undefined, false],
    ['IMG001', `nginx:latest@${DIGEST}`, undefined, false],
    ['IMG002', 'ghcr.io/acme/api:main', 'Always', true],
    ['IMG002', 'ghcr.io/acme/api:Stable', 'Always', true],
    ['IMG002', 'nginx:1', 'Always', true],
    ['IMG002', 'nginx:1.2', 'Always', true],
    ['IMG002', 'nginx:v1', 'Always', true],
    ['IMG002', 'nginx:v1.2', 'Always', true],
    ['IMG002', 'nginx:1.2.3', 'Always', false],
    ['IMG002', 'nginx:latest', 'Always', false],
    ['IMG002', `ghcr.io/acme/api:main@${DIGEST}`, undefined, false],
    ['IMG002', 'ghcr.io/acme/api:blue', 'Always', true, { extraMovingTags: ['blue'] }],
    ['IMG002', 'ghcr.io/acme/api:main', 'Always', false, { movingTags: ['blue'] }],
    ['IMG003', 'ghcr.io/acme/api:main', undefined, true],
    ['IMG003', 'ghcr.io/acme/api:main', 'IfNotPresent', true],
    ['IMG003', 'nginx:latest', 'IfNotPresent', true],
    ['IMG003', 'nginx', undefined, false],
    ['IMG003', 'nginx:1.25.3', 'IfNotPresent', false],
    ['IMG003', 'nginx:1.25', 'IfNotPresent', true],
    ['IMG003', 'ghcr.io/acme/api:main', 'Always', false],
    ['IMG003', `ghcr.io/acme/api:main@${DIGEST}`, 'IfNotPresent', false],
    ['IMG004', 'nginx:1.25.3', 'Never', true],
    ['IMG004', 'nginx:1.25', 'IfNotPresent', false],
    ['IMG004', `nginx@${DIGEST}`, 'Never', false],
    ['IMG005', 'nginx:1.25', 'IfNotPresent', true],
    ['IMG005', `nginx:1.25@${DIGEST}`, 'IfNotPresent', false],
    ['IMG006', 'nginx:1.25', undefined, true],
    ['IMG006', 'nginx:1.25', 'IfNotPresent', false],
    ['IMG006', `nginx@${DIGEST}`, undefined, false],
    ['IMG007', 'localhost:5000/app:v1', 'IfNotPresent', true],
    ['IMG007', '127.0.0.1:5000/app:v1', 'IfNotPresent', true],
    ['IMG007', '[::1]:5000/app:v1', 'IfNotPresent', true],
    ['IMG007', 'registry.local:5000/app:v1', 'IfNotPresent', false],
    ['IMG008', 'MyApp:v1', undefined, true],
    ['IMG008', 'nginx:', undefined, true],
    ['IMG008', 'nginx@sha256:abc', undefined, true],
    ['IMG008', 'nginx:1.25', undefined, false],
    ['IMG010', 'nginx:1.25', 'IfNotPresent', true, { allowedRegistries: ['ghcr.io'] }],
    ['IMG010', 'ghcr.io/acme/api:v1', 'IfNotPresent', false, { allowedRegistries: ['ghcr.io'] }],
    ['IMG010', 'ghcr.io/other/api:v1', 'IfNotPresent', true, { allowedRegistries: ['ghcr.io/acme'] }],
    ['IMG010', 'nginx:1.25', 'IfNotPresent', false, { allowedRegistries: ['index.docker.io'] }],
    ['IMG010', 'nginx:1.25', 'IfNotPresent', false],
  ])('%s on %s (policy %s) fires: %s', (rule, image, policy, fires, config) => {
    expect(codes(deployment(image, policy), config).includes(rule)).toBe(fires);
  });

  it('IMG003 is an error and says where the policy comes from', () => {
    const defaulted = finding(deployment('ghcr.io/acme/api:main'), 'IMG003')!;
    expect(defaulted.severity).toBe('error');
    expect(defaulted.message).toContain('what the API server sets when the field is empty');
    const explicit = finding(deployment('ghcr.io/acme/api:main', 'IfNotPresent'), 'IMG003')!;
    expect(explicit.message).toContain('imagePullPolicy: IfNotPresent');
    expect(explicit.location).toEqual({ file: 'k8s/web.yaml', line: 11, column: 18 });
    expect(explicit.subject).toEqual({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      container: 'app',
    });
  });

  it('IMG004 is a warning alone and an error with a moving tag', () => {
    expect(finding(deployment('nginx:1.25.3', 'Never'), 'IMG004')!.severity).toBe('warning');
    expect(finding(deployment('nginx:main', 'Never'), 'IMG004')!.severity).toBe('error');
    expect(
      finding(deployment('nginx:main', 'Never'), 'IMG004', { rules: { IMG004: 'info' } })!.severity,
    ).toBe('info');
  });

  it('IMG006 says what the API server will set', () => {
    expect(finding(deployment('nginx:1.25.3'), 'IMG006')!.message).toBe(
      'no imagePullPolicy: the API server will set IfNotPresent (the tag is not latest) and keep it even if the tag changes later',
    );
    expect(finding(deployment('nginx'), 'IMG006')!.message).toContain(
      'will set Always (no tag and no digest',
    );
  });

  it('IMG008 explains missing and non-string images', () => {
    expect(finding(deployment(null), 'IMG008')!.message).toBe('container "app" has no image');
    const numeric = deployment('x').replace('"x"', '123');
    expect(finding(numeric, 'IMG008')!.message).toBe(
      'the image of container "app" is a number, not a string',
    );
    expect(finding(deployment('MyApp:v1'), 'IMG008')!.message).toContain('must be lowercase');
  });

  it('a digest-pinned image never triggers a pull-policy rule', () => {
    for (const policy of [undefined, 'IfNotPresent', 'Always', 'Never']) {
      const found = codes(deployment(`nginx:latest@${DIGEST}`, policy));
      expect(found.filter((c) => ['IMG003', 'IMG004', 'IMG006'].includes(c))).toEqual([]);
    }
  });

  it('--require-digest makes IMG005 an error; severities can be overridden or turned off', () => {
    expect(finding(deployment('nginx:1.25', 'Always'), 'IMG005')!.severity).toBe('info');
    expect(finding(deployment('nginx:1.25', 'Always'), 'IMG005', { requireDigest: true })!.severity).toBe(
      'error',
    );
    expect(finding(deployment('nginx', 'Always'), 'IMG001', { rules: { IMG001: 'error' } })!.severity).toBe(
      'error',
    );
    expect(codes(deployment('nginx'), { rules: { IMG001: 'off' } })).not.toContain('IMG001');
  });

  it('the kubefresh.io/ignore annotation suppresses the listed rules for that object only', () => {
    expect(codes(deployment('nginx', undefined, 'IMG001, img006'))).toEqual(['IMG005']);
    expect(codes(deployment('nginx', undefined, 'all'))).toEqual([]);
  });

  it('IMG009 reports one repository referenced with different tags across documents', () => {
    const text = [
      deployment('ghcr.io/acme/api:v1', 'IfNotPresent'),
      deployment('ghcr.io/acme/api:v2', 'IfNotPresent'),
      deployment('ghcr.io/acme/api:v1', 'IfNotPresent'),
    ].join('\n---\n');
    const found = lintManifest('k8s/web.yaml', text).filter((f) => f.code === 'IMG009');
    expect(found.map((f) => f.message)).toEqual([
      'ghcr.io/acme/api is referenced as :v1 here (and 1 more places) but as :v2 (k8s/web.yaml:24:18) elsewhere',
      'ghcr.io/acme/api is referenced as :v2 here but as :v1 (k8s/web.yaml:11:18 and 1 more) elsewhere',
    ]);
    const same = [
      deployment('ghcr.io/acme/api:v1', 'IfNotPresent'),
      deployment('ghcr.io/acme/api:v1', 'IfNotPresent'),
    ].join('\n---\n');
    expect(codes(same)).not.toContain('IMG009');
  });
});

describe('workload shapes', () => {
  const images = (text: string) =>
    lintManifest('m.yaml', text, { rules: { IMG006: 'off', IMG001: 'off', IMG003: 'off' } })
      .filter((f) => f.code === 'IMG005')
      .map((f) => `${f.subject.kind}/${f.subject.container}@${f.location!.line}:${f.location!.column}`);

  it('finds init, regular and ephemeral containers of every built-in kind, Lists and CRDs', () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers: [{name: init, image: "busybox:1.36"}]
          containers:
          - name: job
            image: alpine:3.19
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: debug}
  spec:
    containers: [{name: main, image: "nginx:1.25"}]
    ephemeralContainers:
    - {name: dbg, image: "busybox:1.36"}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: canary}
spec:
  template:
    spec:
      containers:
      - name: app
        image: ghcr.io/acme/app:v3
---
apiVersion: example.com/v1
kind: Widget
spec:
  template: {spec: {notContainers: []}}
---
just: a config file
`;
    expect(images(text)).toEqual([
      'CronJob/init@9:48',
      'CronJob/job@12:20',
      'Pod/main@21:38',
      'Pod/dbg@23:26',
      'Rollout/app@33:16',
    ]);
  });

  it('reads JSON, anchors and merge keys exactly', () => {
    const json = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'j' },
        spec: { containers: [{ name: 'a', image: 'nginx:1.25' }] },
      },
      null,
      2,
    );
    expect(images(json)).toEqual(['Pod/a@11:18']);
    const anchors = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - &base
    name: a
    image: &img "redis:7.2"
  - <<: *base
    name: b
  - name: c
    image: *img
`;
    // Aliases and merged keys point at the text they come from.
    expect(images(anchors)).toEqual(['Pod/a@8:17', 'Pod/b@8:17', 'Pod/c@8:17']);
  });
});

describe('Linter across inputs', () => {
  it('names each input in its own remedies, even for images seen in an earlier input', async () => {
    const { Linter, resolveLintConfig, DEFAULT_SEVERITIES } = await import('../../../src/core/lint/index.js');
    const linter = new Linter(resolveLintConfig(DEFAULT_SEVERITIES));
    const text = deployment('nginx:1.25.3', 'Always');
    const first = linter.lintText('a.yaml', text);
    const streamed: string[] = [];
    linter.lintText('b.yaml', text, (f) => streamed.push(...f.remedy.commands));
    expect(first[0]!.remedy.commands).toContain('kubefresh pin a.yaml');
    expect(streamed).toContain('kubefresh pin b.yaml');
    expect(streamed).not.toContain('kubefresh pin a.yaml');
    expect(linter.stats).toMatchObject({ files: 2, documents: 2, workloads: 2, containers: 2 });
  });
});
