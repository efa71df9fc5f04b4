/**
 * Writes the lint benchmark corpus to bench/.corpus/ (gitignored): realistic Deployment documents with
 * init containers, sidecars, env and resources, spread over several files. Deterministic, so runs
 * compare; regenerated only when missing or when its parameters change.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CorpusSpec {
  readonly documents: number;
  readonly files: number;
}

export const DEFAULT_CORPUS: CorpusSpec = { documents: 20_000, files: 8 };

const TAGS = ['latest', 'main', '1.25', 'v2.3.1', '1.27.3', 'stable', '3.19', 'v1'];
const POLICIES = ['', 'IfNotPresent', 'Always', '', 'Never'];
const DIGEST = 'sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff';

function image(i: number, salt: number): string {
  const repo = [
    'nginx',
    'ghcr.io/acme/api',
    'registry.example.com:5000/team/worker',
    'busybox',
    'localhost:5000/dev/app',
  ][(i + salt) % 5]!;
  if ((i + salt) % 7 === 0) return `${repo}@${DIGEST}`;
  if ((i + salt) % 11 === 0) return repo;
  return `${repo}:${TAGS[(i * 3 + salt) % TAGS.length]}`;
}

function container(name: string, i: number, salt: number, indent: string): string {
  const policy = POLICIES[(i + salt) % POLICIES.length]!;
  const lines = [
    `${indent}- name: ${name}`,
    `${indent}  image: ${(i + salt) % 3 === 0 ? `"${image(i, salt)}"` : image(i, salt)}`,
    ...(policy ? [`${indent}  imagePullPolicy: ${policy}`] : []),
    `${indent}  args: ["--port=${8000 + (i % 100)}", "--log-level=info"]`,
    `${indent}  env:`,
    `${indent}    - name: APP_ENV`,
    `${indent}      value: "production"`,
    `${indent}    - name: POD_NAME`,
    `${indent}      valueFrom:`,
    `${indent}        fieldRef:`,
    `${indent}          fieldPath: metadata.name`,
    `${indent}    - name: DATABASE_URL`,
    `${indent}      valueFrom:`,
    `${indent}        secretKeyRef: {name: db-${i % 50}, key: url}`,
    `${indent}  ports:`,
    `${indent}    - containerPort: ${8000 + (i % 100)}`,
    `${indent}      protocol: TCP`,
    `${indent}  resources:`,
    `${indent}    requests:`,
    `${indent}      cpu: 100m`,
    `${indent}      memory: 128Mi`,
    `${indent}    limits:`,
    `${indent}      cpu: "1"`,
    `${indent}      memory: 512Mi`,
    `${indent}  readinessProbe:`,
    `${indent}    httpGet: {path: /healthz, port: ${8000 + (i % 100)}}`,
    `${indent}    initialDelaySeconds: 5`,
  ];
  return lines.join('\n');
}

/** One Deployment of about 900 bytes with an init container, the app and a sidecar. */
export function deployment(i: number): string {
  const indent = '        ';
  return [
    '# generated for the lint benchmark',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: service-${i}`,
    `  namespace: team-${i % 13}`,
    '  labels:',
    `    app.kubernetes.io/name: service-${i}`,
    '    app.kubernetes.io/part-of: shop',
    ...(i % 17 === 0 ? ['  annotations:', '    kubefresh.io/ignore: "IMG005,IMG006"'] : []),
    'spec:',
    `  replicas: ${1 + (i % 5)}`,
    '  selector:',
    '    matchLabels:',
    `      app.kubernetes.io/name: service-${i}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app.kubernetes.io/name: service-${i}`,
    '    spec:',
    '      serviceAccountName: default',
    '      initContainers:',
    container('migrate', i, 1, indent),
    '      containers:',
    container('app', i, 2, indent),
    container('proxy', i, 3, indent),
    '      volumes:',
    '        - name: cache',
    '          emptyDir: {}',
  ].join('\n');
}

/** Ensures the corpus exists and returns its file paths. */
export function ensureCorpus(dir: string, spec: CorpusSpec = DEFAULT_CORPUS): string[] {
  const stamp = join(dir, 'spec.json');
  const files = Array.from({ length: spec.files }, (_, f) => join(dir, `corpus-${f}.yaml`));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === JSON.stringify(spec)) return files;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const perFile = Math.ceil(spec.documents / spec.files);
  for (let f = 0; f < spec.files; f++) {
    const docs: string[] = [];
    for (let i = f * perFile; i < Math.min(spec.documents, (f + 1) * perFile); i++) docs.push(deployment(i));
    writeFileSync(files[f]!, `${docs.join('\n---\n')}\n`);
  }
  writeFileSync(stamp, JSON.stringify(spec));
  return files;
}
