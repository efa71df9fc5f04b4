import { describe, expect, it } from 'vitest';
import { runKubefresh } from '../support/cli.js';

describe('kubefresh doctor: usage', () => {
  it('rejects a malformed workload with exit 2', async () => {
    const result = await runKubefresh(['doctor', 'deployments', '--kubeconfig', '/nonexistent']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid workload "deployments": expected TYPE/NAME');
  });

  it('a missing kubeconfig is a clear error, no stack trace', async () => {
    const result = await runKubefresh(['doctor', '--kubeconfig', '/nonexistent/config']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no kubeconfig found (looked at /nonexistent/config)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('documents its examples in --help', async () => {
    const result = await runKubefresh(['doctor', '--help']);
    expect(result.stdout).toContain('kubefresh doctor deployment/web -o wide');
    expect(result.stdout).toContain('--use-pull-secrets');
    expect(result.stdout).toContain('--request-timeout');
  });
});
