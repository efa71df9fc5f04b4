import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubefresh } from '../support/cli.js';
import { createTestPki, pem } from '../support/test-pki.js';

/** Seeded credentials: none of them, nor their base64, may reach any output. */
const TOKEN = 'kf-seed-token-9f8e7d6c';
const PASSWORD = 'kf-seed-password-4c3b2a';
const CLIENT_KEY = 'kf-seed-client-key-5e5e';
const BEARER = 'kf-seed-bearer-77aa11';
const SEEDS = [TOKEN, PASSWORD, CLIENT_KEY, BEARER].flatMap((s) => [
  s,
  Buffer.from(s).toString('base64'),
  // Fragments a parser's excerpt or a cut message could leave.
  s.slice(0, 14),
  s.slice(-12),
]);
const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfig(users: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
users:
${users}`;
}

const KUBECONFIGS: Record<string, string> = {
  'mis-indented token and password': kubeconfig(`- name: u
  user:
    token: ${TOKEN}
     password: ${PASSWORD}
`),
  'unquoted password on a broken line': kubeconfig(`- name: u
  user:
    username: admin
    password: ${PASSWORD}: [
`),
  'valid, token, server refuses': kubeconfig(`- name: u
  user:
    token: ${TOKEN}
`),
  'client key that is not PEM': kubeconfig(`- name: u
  user:
    client-certificate-data: ${b64('not a certificate')}
    client-key-data: ${b64(CLIENT_KEY)}
`),
  'exec plugin that fails printing a token': kubeconfig(`- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: sh
      args: ["-c", "echo 'token ${BEARER}' >&2; echo ${BEARER}; exit 3"]
      interactiveMode: Never
`),
  'exec plugin that succeeds with a bearer token': kubeconfig(`- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: sh
      args: ["-c", "printf '{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"${BEARER}\\"}}'"]
      interactiveMode: Never
`),
};

const CLUSTER_VERBS: readonly (readonly string[])[] = [
  ['doctor'],
  ['doctor', 'deployment/web', '-o', 'json'],
  ['nodes'],
  ['deploy', 'deployment/web', '--image', '127.0.0.1:1/a', '--no-build', '--tag', 'v1'],
  ['restart', 'deployment/web'],
  ['rollback', 'deployment/web'],
  ['history', 'deployment/web'],
];

function expectNoSeed(output: string, label: string) {
  for (const seed of SEEDS) expect(output.includes(seed), `${label} printed a seeded secret`).toBe(false);
}

describe('no credential reaches any output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubefresh-secrets-'));
  let registry: Server;
  let registryHost: string;

  beforeAll(async () => {
    // A registry that rejects every login with an echo of what it was sent, as some proxies do.
    registry = createServer((req, res) => {
      res.writeHead(401, {
        'www-authenticate': 'Basic realm="r"',
        'content-type': 'application/json',
      });
      res.end(
        JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: `bad ${req.headers.authorization}` }] }),
      );
    });
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
    registryHost = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => registry.close(() => r())));

  it.each(Object.entries(KUBECONFIGS))('cluster verbs with a kubeconfig: %s', async (name, text) => {
    const file = join(dir, `${name.replaceAll(' ', '-')}.yaml`);
    writeFileSync(file, text);
    for (const verb of CLUSTER_VERBS) {
      for (const verbose of [[], ['-v']]) {
        const result = await runKubefresh(
          [...verb, '--kubeconfig', file, '--request-timeout', '2s', ...verbose],
          {
            env: { HOME: dir },
          },
        );
        const label = `${name}: kubefresh ${verb.join(' ')} ${verbose.join(' ')}`;
        expect(result.code, `${label}\n${result.stderr}`).not.toBe(0);
        expect(result.stderr, label).not.toContain('this is a bug');
        expectNoSeed(result.stdout + result.stderr, label);
      }
    }
  });

  it('a client certificate with the key of another certificate is named as a mismatch', async () => {
    const pki = createTestPki(join(dir, 'pki'));
    const file = join(dir, 'mismatch.yaml');
    writeFileSync(
      file,
      kubeconfig(`- name: u
  user:
    client-certificate-data: ${b64(pem(pki.server.cert))}
    client-key-data: ${b64(pem(pki.wrongName.key))}
`),
    );
    const result = await runKubefresh(['doctor', '--kubeconfig', file, '-v'], { env: { HOME: dir } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'error: the kubeconfig of context "x": its client certificate and client key do not belong together',
    );
    expect(result.stderr).not.toContain('PRIVATE KEY');
  });

  it('digest and pin with a malformed and with a rejected Docker login', async () => {
    const malformed = join(dir, 'docker-bad');
    mkdirSync(malformed);
    writeFileSync(
      join(malformed, 'config.json'),
      `{"auths": {"r": {"auth": "${b64(`u:${PASSWORD}`)}", password: "${PASSWORD}"}}}`,
    );
    const valid = join(dir, 'docker-good');
    mkdirSync(valid);
    writeFileSync(
      join(valid, 'config.json'),
      JSON.stringify({ auths: { [registryHost]: { auth: b64(`u:${PASSWORD}`) } } }),
    );
    const manifest = join(dir, 'pod.yaml');
    writeFileSync(
      manifest,
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: ${registryHost}/a:v1\n`,
    );
    for (const config of [malformed, valid]) {
      for (const args of [
        ['digest', `${registryHost}/a:v1`],
        ['pin', manifest],
        ['pin', '--check', manifest],
      ]) {
        for (const verbose of [[], ['-v']]) {
          const result = await runKubefresh([...args, ...verbose], {
            env: { DOCKER_CONFIG: config, HOME: dir },
          });
          const label = `kubefresh ${args.join(' ')} ${verbose.join(' ')} (${config})`;
          expect(result.code, label).not.toBe(0);
          expect(result.stderr, label).not.toContain('this is a bug');
          expectNoSeed(result.stdout + result.stderr, label);
        }
      }
    }
  });

  it('lint with a malformed .kubefresh.yaml holding a secret-looking value', async () => {
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, '.kubefresh.yaml'), `lint:\n  token: ${TOKEN}\n   failOn: [${PASSWORD}\n`);
    writeFileSync(
      join(project, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: a:v1}]}\n',
    );
    for (const verbose of [[], ['-v']]) {
      const result = await runKubefresh(['lint', 'pod.yaml', ...verbose], {
        cwd: project,
        env: { HOME: dir },
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/\.kubefresh\.yaml:\d+:\d+: not valid YAML/);
      expectNoSeed(result.stdout + result.stderr, `lint ${verbose.join(' ')}`);
    }
  });
});

describe('configuration files are read with a cap', () => {
  it.each([
    [['doctor', '--kubeconfig', '/dev/zero'], 'kubeconfig "/dev/zero" is larger than 16 MiB'],
    [['lint', '--config', '/dev/zero', '-'], 'configuration file "/dev/zero" is larger than 1 MiB'],
    [['digest', 'a:v1', '--registry-ca', '/dev/zero'], '--registry-ca "/dev/zero" is larger than 16 MiB'],
    [['pin', '--from-lock', '/dev/zero', '-'], 'lock file "/dev/zero" is larger than 16 MiB'],
  ])('kubefresh %j fails clearly', async (args, message) => {
    const result = await runKubefresh(args, { stdin: '', env: { HOME: '/nonexistent' } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('this is a bug');
  });
});
