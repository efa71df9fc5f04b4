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
  const img = image(i, salt);
  return [
    `${indent}- name: ${name}`,
    `${indent}  image: ${(i + salt) % 3 === 0 ? `"${img}"` : img}`,
    ...(policy ? [`${indent}  imagePullPolicy: ${policy}`] : []),
    `${indent}  args: [--port=${8000 + (i % 100)}]`,
    `${indent}  env: [{name: DB_URL, value: "postgres://db-${i % 50}/app"}]`,
    `${indent}  resources: {limits: {cpu: 500m, memory: 512Mi}}`,
  ].join('\n');
}

/** One Deployment of about 1 KB with an init container, the app and a sidecar. */
export function deployment(i: number): string {
  const indent = '      ';
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: service-${i}`,
    `  namespace: team-${i % 13}`,
    ...(i % 17 === 0 ? ['  annotations:', '    kubefresh.io/ignore: "IMG005,IMG006"'] : []),
    'spec:',
    `  replicas: ${1 + (i % 5)}`,
    '  selector:',
    `    matchLabels: {app: service-${i}}`,
    '  template:',
    '    metadata:',
    `      labels: {app: service-${i}}`,
    '    spec:',
    '      initContainers:',
    container('migrate', i, 1, indent),
    '      containers:',
    container('app', i, 2, indent),
    container('proxy', i, 3, indent),
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
