import { execFileSync } from 'node:child_process';

/**
 * Finds an external tool a test needs (kubectl, skopeo, docker-registry, ctr, buildah…).
 * Under CI=true a missing tool fails the test; elsewhere the test is skipped with a message naming it.
 * Use as `const skopeo = findTool('skopeo'); it.skipIf(!skopeo)(…)` together with `requireToolInCI`.
 */
export function findTool(name: string): string | undefined {
  try {
    const path = execFileSync('sh', ['-c', `command -v ${JSON.stringify(name)}`], {
      encoding: 'utf8',
    }).trim();
    if (path) return path;
  } catch {
    // not on PATH
  }
  if (process.env.CI === 'true') {
    throw new Error(`required tool "${name}" is not installed (CI=true: .ci/run must install it)`);
  }
  process.stderr.write(`skipping tests that need "${name}": not found on PATH\n`);
  return undefined;
}
