import { expect } from 'vitest';
import type { SimCluster } from '../../../src/sim/cluster/index.js';
import { runKubefresh } from '../../support/cli.js';

/** The `doctor -o json` document, as far as these tests read it. */
export interface DoctorJson {
  readonly schemaVersion: number;
  readonly summary: { text: string; workloads: number; verdicts: Record<string, number> };
  readonly workloads: { kind: string; namespace?: string; name: string; verdict: string; codes: string[] }[];
  readonly findings: {
    code: string;
    severity: string;
    message: string;
    subject: Record<string, string>;
    evidence: Record<string, unknown>;
    remedy: { text: string; commands: string[] };
  }[];
  readonly hints: string[];
}

/** Flags that let kubefresh on this machine reach the sim's registry by the name the nodes use. */
export function registryFlags(cluster: SimCluster): string[] {
  const flags: string[] = [];
  for (const registry of cluster.registries()) {
    const host = registry.name.split(':')[0]!;
    flags.push('--resolve', `${host}=127.0.0.1`, '--insecure-registry', registry.name);
  }
  return flags;
}

/** Runs `kubefresh doctor -o json` against the cluster; returns the exit code and the document. */
export async function doctorJson(
  cluster: SimCluster,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; report: DoctorJson; stderr: string }> {
  const result = await runKubefresh(
    ['doctor', '--kubeconfig', cluster.kubeconfigPath, '-o', 'json', ...registryFlags(cluster), ...args],
    { env: { HOME: '/nonexistent', ...env } },
  );
  expect(result.stderr, result.stderr).not.toMatch(/^error/m);
  return { code: result.code, report: JSON.parse(result.stdout) as DoctorJson, stderr: result.stderr };
}

/** Codes per workload name: `{web: ['STALE_TAG_MOVED', 'POLICY_RISK']}`. */
export function codesByWorkload(report: DoctorJson): Record<string, string[]> {
  return Object.fromEntries(report.workloads.map((w) => [w.name, w.codes]));
}

/** Splits a remedy command into argv (remedies quote only with single quotes). */
export function argv(command: string): string[] {
  const out: string[] = [];
  for (const match of command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g))
    out.push(match[1] !== undefined ? match[1].replaceAll("'\\''", "'") : match[2]!);
  return out;
}
