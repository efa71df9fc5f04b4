/**
 * Digest benchmark (issue 3): resolve 300 different tags from a local distribution registry with
 * `kubefresh digest` (one process, the built CLI) versus `skopeo inspect --format '{{.Digest}}'`
 * once per tag, sequentially and 8 at a time (xargs -P8), all in this run. Requests are counted by
 * method from the registry's access log. Targets: ≥ 20× sequential skopeo, ≥ 8× 8-way skopeo, and
 * zero manifest GETs (the registry sends Docker-Content-Digest).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { RegistryClient } from '../src/adapters/registry/index.js';
import { parseImageRef } from '../src/core/image-ref/index.js';
import { type Distribution, startDistribution } from '../test/support/distribution.js';

const TAGS = 300;
const run = promisify(execFile);
const root = join(import.meta.dirname, '..');

function which(tool: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const sha256 = (data: Uint8Array): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Pushes TAGS images (every third a two-platform index) with distinct configs; returns their digests. */
async function seed(host: string): Promise<Map<string, string>> {
  const client = new RegistryClient();
  const ref = parseImageRef(`${host}/bench/app`);
  const layer = gzipSync(Buffer.alloc(1024));
  await client.pushBlob(ref, sha256(layer), layer);
  const expected = new Map<string, string>();
  const manifestFor = async (label: string, arch: string): Promise<{ bytes: Buffer; digest: string }> => {
    const config = Buffer.from(
      JSON.stringify({
        architecture: arch,
        os: 'linux',
        config: { Labels: { n: label } },
        rootfs: { type: 'layers', diff_ids: [sha256(Buffer.alloc(1024))] },
      }),
    );
    await client.pushBlob(ref, sha256(config), config);
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: sha256(config),
          size: config.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
            digest: sha256(layer),
            size: layer.length,
          },
        ],
      }),
    );
    return { bytes, digest: sha256(bytes) };
  };
  const tags = Array.from({ length: TAGS }, (_, i) => `t${i}`);
  for (let start = 0; start < tags.length; start += 16) {
    await Promise.all(
      tags.slice(start, start + 16).map(async (tag, offset) => {
        const i = start + offset;
        const amd = await manifestFor(`${tag}-amd64`, 'amd64');
        if (i % 3 !== 0) {
          expected.set(
            tag,
            await client.putManifest(ref, tag, 'application/vnd.oci.image.manifest.v1+json', amd.bytes),
          );
          return;
        }
        const arm = await manifestFor(`${tag}-arm64`, 'arm64');
        for (const m of [amd, arm])
          await client.putManifest(ref, m.digest, 'application/vnd.oci.image.manifest.v1+json', m.bytes);
        const index = Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: 'application/vnd.oci.image.index.v1+json',
            manifests: [
              {
                mediaType: 'application/vnd.oci.image.manifest.v1+json',
                digest: amd.digest,
                size: amd.bytes.length,
                platform: { os: 'linux', architecture: 'amd64' },
              },
              {
                mediaType: 'application/vnd.oci.image.manifest.v1+json',
                digest: arm.digest,
                size: arm.bytes.length,
                platform: { os: 'linux', architecture: 'arm64' },
              },
            ],
          }),
        );
        expected.set(
          tag,
          await client.putManifest(ref, tag, 'application/vnd.oci.image.index.v1+json', index),
        );
      }),
    );
  }
  await client.close();
  return expected;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Access-log lines since `from`, counted as `METHOD kind` (manifests, blobs, other). */
function countRequests(registry: Distribution, from: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of registry.accessLog.slice(from)) {
    const match = /"([A-Z]+) (\/v2\/\S*)/.exec(line);
    if (!match) continue;
    const kind = match[2]!.includes('/manifests/')
      ? 'manifest'
      : match[2]!.includes('/blobs/')
        ? 'blob'
        : 'other';
    const key = `${match[1]} ${kind}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function settle(registry: Distribution): Promise<number> {
  // The access log arrives on a pipe; wait until it stops growing before counting.
  let last = -1;
  while (last !== registry.accessLog.length) {
    last = registry.accessLog.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return registry.accessLog.length;
}

export default async function digestBench(log: (line: string) => void): Promise<void> {
  const registryBin = which('docker-registry');
  const skopeo = which('skopeo');
  if (!registryBin || !skopeo) {
    log(
      `skipped: needs docker-registry and skopeo (missing: ${[!registryBin && 'docker-registry', !skopeo && 'skopeo'].filter(Boolean).join(', ')})`,
    );
    return;
  }
  log('building the CLI (npm run build)…');
  await run('npm', ['run', 'build'], { cwd: root });
  const bin = join(root, 'dist', 'cli', 'bin.js');
  if (!existsSync(bin)) throw new Error(`build produced no ${bin}`);

  const registry = await startDistribution(registryBin);
  const home = mkdtempSync(join(tmpdir(), 'kubefresh-bench-'));
  try {
    const expected = await seed(registry.host);
    const refs = [...expected.keys()].map((tag) => `${registry.host}/bench/app:${tag}`);
    log(`registry ${registry.host}: ${TAGS} tags (every third a two-platform index)`);
    // Every figure here is CPU-bound on a shared machine; the load says how much to trust them.
    log(
      `machine: ${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );

    const env = { ...process.env, HOME: home };

    // kubefresh as a library, in this process (a fresh client: new connections, empty caches).
    let mark = await settle(registry);
    let started = performance.now();
    const client = new RegistryClient();
    const resolved = await Promise.all(refs.map((ref) => client.resolve(parseImageRef(ref))));
    const libraryMs = performance.now() - started;
    await client.close();
    await settle(registry);
    const libCounts = countRequests(registry, mark);
    const libWrong = refs.filter(
      (ref, i) => resolved[i]!.digest !== expected.get(ref.slice(ref.lastIndexOf(':') + 1)),
    );
    if (libWrong.length > 0) throw new Error(`the library gave wrong digests for ${libWrong.length} refs`);

    // kubefresh digest (the built CLI, one process, all references) and sequential skopeo take
    // turns: a kubefresh run, a fifth of the skopeo tags, a kubefresh run, and so on. Both are then
    // measured over the same stretch of time, so a busy neighbour on a shared machine weighs on
    // both, and the kubefresh figure is the median of six runs.
    const kubefreshRun = async (): Promise<{ ms: number; counts: Record<string, number> }> => {
      const from = await settle(registry);
      const begun = performance.now();
      const kf = await run('node', [bin, 'digest', ...refs], { cwd: root, maxBuffer: 1 << 24, env });
      const ms = performance.now() - begun;
      const got = new Map(
        kf.stdout
          .trim()
          .split('\n')
          .map((line) => line.split(/\s+/) as [string, string]),
      );
      const wrong = refs.filter((ref) => got.get(ref) !== expected.get(ref.slice(ref.lastIndexOf(':') + 1)));
      if (wrong.length > 0)
        throw new Error(`kubefresh digest gave wrong digests for ${wrong.length} refs, e.g. ${wrong[0]}`);
      await settle(registry);
      return { ms, counts: countRequests(registry, from) };
    };
    const times: number[] = [];
    let kfCounts: Record<string, number> = {};
    let cliError: unknown;
    const tryKubefresh = async (): Promise<void> => {
      if (cliError !== undefined) return;
      try {
        const result = await kubefreshRun();
        times.push(result.ms);
        kfCounts = result.counts;
      } catch (err) {
        cliError = err;
      }
    };

    await tryKubefresh();
    let sequentialMs = 0;
    const seqCounts: Record<string, number> = {};
    const slices = 5;
    for (let slice = 0; slice < slices; slice++) {
      const part = refs.slice((slice * refs.length) / slices, ((slice + 1) * refs.length) / slices);
      mark = await settle(registry);
      started = performance.now();
      for (const ref of part) {
        await run(skopeo, ['inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${ref}`], {
          env,
        });
      }
      sequentialMs += performance.now() - started;
      await settle(registry);
      for (const [key, n] of Object.entries(countRequests(registry, mark)))
        seqCounts[key] = (seqCounts[key] ?? 0) + n;
      await tryKubefresh();
    }
    let kubefreshMs: number | undefined;
    if (cliError === undefined) {
      // In run order, so a slow first run (cold disk cache) shows as such.
      log(`kubefresh digest runs: ${times.map((t) => `${t.toFixed(0)} ms`).join(', ')}`);
      kubefreshMs = median(times);
    } else {
      log(
        `the built CLI did not run (${
          String(cliError)
            .split('\n')
            .find((l) => /Error/.test(l)) ?? cliError
        }); ratios use the library`,
      );
    }

    // skopeo, 8 at a time with xargs -P8, the refs on stdin.
    mark = await settle(registry);
    const child = execFile(
      'sh',
      [
        '-c',
        `xargs -P8 -I{} ${skopeo} inspect --tls-verify=false --format '{{.Digest}}' docker://{} > /dev/null`,
      ],
      { env },
    );
    started = performance.now();
    child.stdin!.end(`${refs.join('\n')}\n`);
    await new Promise<void>((resolve, reject) =>
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`xargs exited ${code}`)))),
    );
    const parallelMs = performance.now() - started;
    await settle(registry);
    const parCounts = countRequests(registry, mark);

    const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
    const show = (c: Record<string, number>): string =>
      Object.entries(c)
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
    if (kubefreshMs !== undefined) {
      log(`kubefresh digest (1 process)   ${fmt(kubefreshMs).padStart(9)}   requests: ${show(kfCounts)}`);
    }
    log(`kubefresh library (in-process) ${fmt(libraryMs).padStart(9)}   requests: ${show(libCounts)}`);
    log(`skopeo inspect, sequential     ${fmt(sequentialMs).padStart(9)}   requests: ${show(seqCounts)}`);
    log(`skopeo inspect, xargs -P8      ${fmt(parallelMs).padStart(9)}   requests: ${show(parCounts)}`);
    const ours = kubefreshMs ?? libraryMs;
    const vsSeq = sequentialMs / ours;
    const vsPar = parallelMs / ours;
    const manifestGets = (kubefreshMs === undefined ? libCounts : kfCounts)['GET manifest'] ?? 0;
    log(
      `speed-up vs sequential skopeo: ${vsSeq.toFixed(1)}× (target ≥ 20×) ${vsSeq >= 20 ? 'ok' : 'MISSED'}`,
    );
    log(`speed-up vs 8-way skopeo:      ${vsPar.toFixed(1)}× (target ≥ 8×) ${vsPar >= 8 ? 'ok' : 'MISSED'}`);
    log(`kubefresh manifest GETs:       ${manifestGets} (target 0) ${manifestGets === 0 ? 'ok' : 'MISSED'}`);
  } finally {
    await registry.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
