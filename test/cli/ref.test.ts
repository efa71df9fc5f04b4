import { describe, expect, it } from 'vitest';
import { runKubefresh } from '../support/cli.js';

const D = `sha256:${'c'.repeat(64)}`;
const noStack = /\n\s+at /;

describe('kubefresh ref', () => {
  it('explains a short Docker Hub name in text', async () => {
    const result = await runKubefresh(['ref', 'nginx']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        'nginx',
        '  registry     docker.io',
        '  api host     registry-1.docker.io',
        '  repository   library/nginx',
        '  tag          latest (default)',
        '  digest       (none)',
        '  qualified    docker.io/library/nginx:latest',
        '  familiar     nginx',
        '  pull policy  Always (API default when unset: no tag and no digest, so the tag defaults to latest)',
        '',
      ].join('\n'),
    );
  });

  it('flags a loopback registry and shows tag and digest together', async () => {
    const result = await runKubefresh(['ref', `localhost:5000/app:latest@${D}`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  registry     localhost:5000\n');
    expect(result.stdout).toContain('  api host     localhost:5000\n');
    expect(result.stdout).toContain(`  digest       ${D}\n`);
    expect(result.stdout).toContain('  pull policy  Always (API default when unset: the tag is latest)');
    expect(result.stdout).toContain('loopback registry');
  });

  it('prints a stable JSON array, with an error object for invalid entries', async () => {
    const result = await runKubefresh([
      'ref',
      '-o',
      'json',
      'index.docker.io/bitnami/redis:7',
      `app@${D}`,
      'MyApp:v1',
    ]);
    expect(result.code).toBe(2);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toEqual([
      {
        input: 'index.docker.io/bitnami/redis:7',
        registry: 'docker.io',
        apiHost: 'registry-1.docker.io',
        repository: 'bitnami/redis',
        tag: '7',
        effectiveTag: '7',
        digest: null,
        qualified: 'docker.io/bitnami/redis:7',
        familiar: 'bitnami/redis:7',
        loopback: false,
        defaultPullPolicy: 'IfNotPresent',
        defaultPullPolicyReason: 'other-tag',
        defaultPullPolicyExplanation: 'the tag is not latest',
      },
      expect.objectContaining({
        input: `app@${D}`,
        tag: null,
        effectiveTag: null,
        digest: D,
        qualified: `docker.io/library/app@${D}`,
        defaultPullPolicy: 'IfNotPresent',
        defaultPullPolicyReason: 'digest-only',
      }),
      {
        input: 'MyApp:v1',
        error: {
          code: 'REF_NOT_LOWERCASE',
          message:
            'parsing image reference "MyApp:v1": invalid reference format: repository name (library/MyApp) must be lowercase',
          reason: 'invalid reference format: repository name (library/MyApp) must be lowercase',
          hint: expect.stringContaining('did you mean "myapp:v1"?'),
        },
        defaultPullPolicy: 'IfNotPresent',
        defaultPullPolicyReason: 'unparsable',
        defaultPullPolicyExplanation: expect.stringContaining('InvalidImageName'),
      },
    ]);
    expect(result.stderr).toContain('error: 1 of 3 image references are invalid');
  });

  it('exits 2 on an invalid reference, quoting the kubelet wording, without a stack trace', async () => {
    const result = await runKubefresh(['ref', 'nginx:']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error: parsing image reference "nginx:": invalid reference format\n' +
        'hint: image references look like registry.example.com:5000/team/app:v1.2.3 or app@sha256:<64 hex>\n',
    );
  });

  it('prints the valid references and reports every invalid one', async () => {
    const result = await runKubefresh([
      'ref',
      'nginx:1.27',
      'MyApp:v1',
      'redis',
      `x@sha256:${'c'.repeat(63)}`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('nginx:1.27\n');
    expect(result.stdout).toContain('\nredis\n');
    expect(result.stdout).not.toContain('MyApp');
    expect(result.stderr).toContain(
      '"MyApp:v1": invalid reference format: repository name (library/MyApp) must be lowercase',
    );
    expect(result.stderr).toContain(`"x@sha256:${'c'.repeat(63)}": invalid checksum digest length`);
    expect(result.stderr).toContain('error: 2 of 4 image references are invalid');
    expect(result.stderr).not.toMatch(noStack);
  });

  it('prints only qualified names with -q', async () => {
    const result = await runKubefresh(['-q', 'ref', 'redis', 'bitnami/redis:7', `[::1]:5000/app@${D}`]);
    expect(result).toEqual({
      code: 0,
      stdout: `docker.io/library/redis:latest\ndocker.io/bitnami/redis:7\n[::1]:5000/app@${D}\n`,
      stderr: '',
    });
  });

  it('is a usage error without arguments or with an unknown format', async () => {
    const missing = await runKubefresh(['ref']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'image'");
    const format = await runKubefresh(['ref', '-o', 'yaml', 'nginx']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('yaml');
  });

  it('never prints a stack trace, even for hostile input', async () => {
    const result = await runKubefresh(['ref', '\u0000\n\u202e', 'x'.repeat(10000), '']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(noStack);
    expect(result.stderr).toContain('(10000 characters)');
    expect(result.stderr).toContain('error: parsing image reference "": invalid reference format');
  });

  it('documents the exit codes and shows examples in --help', async () => {
    const result = await runKubefresh(['ref', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('kubefresh ref nginx');
    expect(result.stdout).toMatch(/2 when any is invalid/);
  });
});
