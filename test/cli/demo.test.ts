import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HttpKubeClient } from '../../src/adapters/kube/index.js';
import { runCli } from '../../src/cli/main.js';
import { runKubefresh } from '../support/cli.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');

function run(args: readonly string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string; ms: number }>((resolve) => {
    const started = Date.now();
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: tmpdir() }, timeout: 90_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          stderr,
          ms: Date.now() - started,
        }),
    );
  });
}

interface Event {
  type: string;
  scene?: number;
  ok?: boolean;
  phase?: string;
  command?: string;
  text?: string;
  workloads?: { name: string; verdict: string; codes: string[] }[];
  kubeconfig?: string;
}

/** README's first command: the built CLI plays scenes 1–4, each ending proven, in under a minute. */
describe.skipIf(!existsSync(BIN) && process.env.CI !== 'true')('kubefresh demo (built CLI)', () => {
  it('plays four scenes, each diagnosed, fixed by digest and proven, and exits 0 in under 60 s', async () => {
    const result = await run(['demo']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.ms).toBeLessThan(60_000);
    const out = result.stdout;
    expect(out).not.toContain('\u001b['); // not a terminal: no colour
    for (const n of [1, 2, 3, 4]) expect(out).toContain(`━━ Scene ${n}/4 · `);
    expect(out).toContain('STALE_TAG_MOVED');
    expect(out).toContain('MIXED_DIGESTS');
    expect(out).toContain('PULL_NEVER_NOT_PRESENT');
    expect(out).toContain('connect: connection refused');
    expect(out.match(/✓ scene \d proven: every pod on the deployed digest, doctor OK/g)).toHaveLength(4);
    expect(out).toMatch(/✓ 4\/4 scenes fixed and proven in \d+\.\ds\n$/);
  }, 90_000);
});

describe('kubefresh demo -o jsonl --keep (in-process, pods read from the API)', () => {
  it('emits one event per line, every scene ok, then keeps the cluster until interrupted', async () => {
    const controller = new AbortController();
    let stdout = '';
    let stderr = '';
    const stdin = new PassThrough();
    stdin.end();
    const done = runCli(['demo', '-o', 'jsonl', '--no-kubectl', '--keep', '--speed', '50'], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdin,
      env: { PATH: process.env.PATH ?? '' },
      cwd: process.cwd(),
      stdoutIsTTY: false,
      signal: controller.signal,
    });
    const events = () =>
      stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Event);
    try {
      const started = Date.now();
      let kept: Event | undefined;
      while (kept === undefined) {
        if (Date.now() - started > 60_000) throw new Error(`demo did not reach --keep:\n${stdout}${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
        kept = events().find((e) => e.type === 'demo:keep');
      }
      // The kept cluster answers on the kubeconfig it printed.
      const kube = new HttpKubeClient({ kubeconfig: kept.kubeconfig!, env: {} });
      expect((await kube.list('pods', { namespace: 'scenario-1' })).items).toHaveLength(3);
    } finally {
      controller.abort();
    }
    expect(await done).toBe(0);
    expect(stderr).toBe('cluster stopped\n');
    const all = events();
    expect(all.filter((e) => e.type === 'scene:end').map((e) => e.ok)).toEqual([true, true, true, true]);
    expect(all.find((e) => e.type === 'demo:end')).toMatchObject({ ok: true, passed: 4, scenes: 4 });
    const table = all.find((e) => e.type === 'scene:output' && e.scene === 3)!;
    expect(table.text).toMatch(/^POD\s+NODE\s+READY\s+REASON\n/);
    expect(table.text).toContain('ErrImageNeverPull');
    const diagnosis = all.find((e) => e.type === 'scene:doctor' && e.scene === 2 && e.phase === 'diagnose')!;
    expect(diagnosis.workloads![0]!.codes).toContain('MIXED_DIGESTS');
    const proof = all.find((e) => e.type === 'scene:doctor' && e.scene === 2 && e.phase === 'proof')!;
    expect(proof.workloads).toEqual([{ name: 'web', verdict: 'ok', codes: ['OK_PINNED'] }]);
  }, 90_000);

  it('rejects a bad --speed as a usage error', async () => {
    const result = await runKubefresh(['demo', '--speed', 'fast']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a speed between 0 and 1000 such as 20, got "fast"');
  });
});
