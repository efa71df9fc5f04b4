import { Command, InvalidArgumentError, Option } from 'commander';
import { EXIT_CODES, redact } from '../../errors/index.js';
import type { DemoCluster, DemoEvent } from '../../pipeline/demo/index.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import type { CliIO } from '../io.js';
import { lookupWith } from '../registry-flags.js';
import type { Colors } from '../render/colors.js';
import { renderDoctorText } from '../render/doctor-text.js';
import { writeData } from '../render/terminal-sink.js';
import { eventLine } from '../rollout-verbs.js';

interface DemoFlags {
  readonly step?: boolean;
  readonly keep?: boolean;
  readonly speed: number;
  readonly output: 'text' | 'jsonl';
  readonly kubectl: boolean;
}

/** The seed scenarios the demo plays: the first four (stale tag, mixed digests, one-node image, localhost registry). */
const DEMO_SCENES = [1, 2, 3, 4];
/** Sim seconds per real second: back-offs and pulls pass quickly, a person can still follow. */
const DEFAULT_SPEED = 20;
const WIDTH = 78;

function speedOf(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1000)
    throw new InvalidArgumentError(
      `expected a speed between 0 and 1000 such as 20, got ${JSON.stringify(value)}`,
    );
  return n;
}

/** Wraps prose at `width`, each line indented. */
function wrap(text: string, indent: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

const indentBlock = (text: string, indent: string) =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `${indent}${l}`);

/** The demo as a terminal shows it: scene headers, commands with `$`, indented outputs, a verdict. */
export function demoTextRenderer(io: CliIO, c: Colors): (event: DemoEvent) => void {
  const write = (lines: string[]) => io.stdout.write(`${redact(lines.join('\n'))}\n`);
  return (event) => {
    switch (event.type) {
      case 'demo:start':
        write([
          c.bold('kubefresh demo'),
          c.dim(
            `a simulated K3s cluster: ${event.nodes.join(', ')}; registry ${event.registry}; ${event.scenes} scenes from the field guide`,
          ),
        ]);
        return;
      case 'scene:start':
        write([
          '',
          c.bold(c.cyan(`━━ Scene ${event.scene}/${event.of} · ${event.title}`)) +
            c.dim(`  (seed ${event.seed})`),
          ...wrap(event.story, '   ').map((l) => c.dim(l)),
        ]);
        return;
      case 'scene:command': {
        const label =
          event.phase === 'trap'
            ? c.yellow('trap')
            : event.phase === 'fix'
              ? c.green('fix ')
              : c.cyan('look');
        write([`${label} ${c.dim('$')} ${event.command}`]);
        return;
      }
      case 'scene:output':
        write(indentBlock(event.text, '       '));
        return;
      case 'scene:doctor':
        write(indentBlock(renderDoctorText(event.report, c, { wide: false, now: Date.now() }), '       '));
        return;
      case 'scene:deploy': {
        if (event.event.type === 'step:progress' || event.event.type === 'warning') return;
        const line = eventLine(event.event, c);
        if (line !== undefined) write([`       ${line}`]);
        return;
      }
      case 'scene:note':
        write([`       ${event.text}`]);
        return;
      case 'scene:end':
        write([
          ...event.proof.map((l) => `       ${l}`),
          event.ok
            ? c.green(
                `  ✓ scene ${event.scene} proven: every pod on the deployed digest, doctor OK (${(event.elapsedMs / 1000).toFixed(1)}s)`,
              )
            : c.red(
                `  ✗ scene ${event.scene} did not reach its proven state (${(event.elapsedMs / 1000).toFixed(1)}s)`,
              ),
        ]);
        return;
      case 'demo:end':
        write([
          '',
          event.ok
            ? c.bold(
                c.green(
                  `✓ ${event.passed}/${event.scenes} scenes fixed and proven in ${(event.elapsedMs / 1000).toFixed(1)}s`,
                ),
              )
            : c.bold(
                c.red(
                  `✗ ${event.passed}/${event.scenes} scenes proven in ${(event.elapsedMs / 1000).toFixed(1)}s`,
                ),
              ),
        ]);
        return;
    }
  };
}

/** `-o jsonl`: one event per line; doctor reports shrink to their summary and codes. */
export function demoJsonlRenderer(io: CliIO): (event: DemoEvent) => void {
  return (event) => {
    const out =
      event.type === 'scene:doctor'
        ? {
            type: event.type,
            scene: event.scene,
            phase: event.phase,
            summary: event.report.summary,
            workloads: event.report.workloads.map((w) => ({
              name: w.name,
              verdict: w.verdict,
              codes: w.findings.map((f) => f.code),
            })),
          }
        : event;
    writeData(io.stdout, `${redact(JSON.stringify(out))}\n`);
  };
}

/** Finds an executable on PATH, or undefined. */
async function onPath(name: string, env: CliIO['env']): Promise<string | undefined> {
  const { access, constants } = await import('node:fs/promises');
  const { join } = await import('node:path');
  for (const dir of (env.PATH ?? '').split(':')) {
    if (dir === '') continue;
    try {
      await access(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Waits for Enter on a terminal; elsewhere (CI, pipes) it does not wait. */
async function waitForEnter(io: CliIO, c: Colors): Promise<void> {
  if ((io.stdin as { isTTY?: boolean }).isTTY !== true) return;
  io.stdout.write(c.dim('   press Enter for the next scene… '));
  await new Promise<void>((resolve) => {
    const onData = () => {
      io.stdin.removeListener('data', onData);
      (io.stdin as { pause?: () => void }).pause?.();
      resolve();
    };
    io.stdin.on('data', onData);
    (io.stdin as { resume?: () => void }).resume?.();
  });
}

/** `kubefresh demo`: the field guide's scenarios 1–4 on a simulated cluster, each diagnosed, fixed and proven. */
export function demoCommand(context: CommandContext): Command {
  const command = new Command('demo')
    .description('replay the field guide’s stale-image traps on a simulated K3s cluster, and fix each one')
    .option('--step', 'pause between scenes (waits for Enter on a terminal)')
    .option(
      '--keep',
      'leave the cluster running afterwards and print how to point kubectl and kubefresh at it',
    )
    .addOption(
      new Option('--speed <n>', 'simulated seconds per real second (back-offs, pulls)')
        .argParser(speedOf)
        .default(DEFAULT_SPEED),
    )
    .option('--no-kubectl', 'show pods from the API even when kubectl is installed')
    .addOption(
      new Option('-o, --output <format>', 'text, or jsonl (one event per line)')
        .choices(['text', 'jsonl'])
        .default('text'),
    )
    .addHelpText(
      'after',
      `
Needs nothing installed: starts a three-node K3s-like cluster (k3s-server, k3s-agent-1,
k3s-agent-2) and a registry in this process, then plays four scenes from the field guide: a
:latest that restart does not refresh, one tag running two digests, an image imported on one node,
a localhost registry the agents cannot reach. Each scene shows the trap as kubectl shows it (real
kubectl when installed), runs kubefresh doctor, fixes it with kubefresh deploy by digest, and
proves the fix. Exit code 0 when every scene ends proven.
${examples([
  ['Watch all four scenes', 'kubefresh demo'],
  ['One scene at a time, then keep the cluster to explore', 'kubefresh demo --step --keep'],
  ['For a CI log or a script', 'kubefresh demo -o jsonl'],
])}`,
    )
    .action(async (flags: DemoFlags, self: Command) => {
      const { io } = context;
      const c = context.colors(self);
      const { mkdtemp, rm } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const { execFile } = await import('node:child_process');
      const { startSimCluster, CLUSTER_REGISTRY_NAME } = await import('../../sim/cluster/index.js');
      const { SCENARIOS, waitForExpected, appImage } = await import('../../sim/scenarios/index.js');
      const { HttpKubeClient } = await import('../../adapters/kube/index.js');
      const { RegistryClient } = await import('../../adapters/registry/index.js');
      const { runDemo } = await import('../../pipeline/demo/index.js');

      const dir = await mkdtemp(join(tmpdir(), 'kubefresh-demo-'));
      const kubeconfigPath = join(dir, 'kubeconfig');
      const cluster = await startSimCluster({ nodes: 3, speed: flags.speed, kubeconfigPath });
      let keep = false;
      try {
        const registry = cluster.registry!;
        const demoCluster: DemoCluster = {
          kubeconfigPath,
          registryName: registry.name,
          nodeNames: cluster.nodeNames,
          scenarios: SCENARIOS.filter((s) => DEMO_SCENES.includes(s.id)).map((s) => ({
            id: s.id,
            slug: s.slug,
            title: s.title,
            seed: s.seed,
            story: s.story,
            setup: () => s.setup(cluster),
            settle: (prepared) =>
              waitForExpected(
                cluster,
                prepared.namespace,
                (prepared as unknown as { expected: Parameters<typeof waitForExpected>[2] }).expected,
                30_000,
              ),
          })),
          pushBuilt: async (reference, label) => (await cluster.pushImage(reference, appImage(label))).digest,
        };
        const kube = new HttpKubeClient({ kubeconfig: kubeconfigPath, env: {} });
        const lookup = await lookupWith([`${CLUSTER_REGISTRY_NAME}=127.0.0.1`]);
        const registryClient = new RegistryClient({
          insecureRegistries: [registry.name],
          ...(lookup === undefined ? {} : { lookup }),
        });
        const kubectlPath = flags.kubectl ? await onPath('kubectl', io.env) : undefined;
        const kubectl =
          kubectlPath === undefined
            ? undefined
            : (args: readonly string[]) =>
                new Promise<string>((resolve, reject) => {
                  execFile(
                    kubectlPath,
                    [...args],
                    {
                      env: { PATH: io.env.PATH ?? '', HOME: dir, KUBECONFIG: kubeconfigPath },
                      timeout: 20_000,
                    },
                    (error, stdout, stderr) =>
                      error ? reject(new Error(stderr || error.message)) : resolve(stdout),
                  );
                });
        const render = flags.output === 'jsonl' ? demoJsonlRenderer(io) : demoTextRenderer(io, c);
        const result = await runDemo(
          {
            kube,
            registry: registryClient,
            cluster: demoCluster,
            ...(kubectl === undefined ? {} : { kubectl }),
            ...(flags.step ? { pause: () => waitForEnter(io, c) } : {}),
            emit: render,
          },
          { scenes: DEMO_SCENES, ...(io.signal === undefined ? {} : { signal: io.signal }) },
        );
        context.setExitCode(result.ok ? EXIT_CODES.OK : EXIT_CODES.FINDINGS);
        if (io.signal?.aborted) context.setExitCode(EXIT_CODES.INTERRUPTED);
        if (flags.keep && !io.signal?.aborted) {
          keep = true;
          const flagsLine = `--resolve ${CLUSTER_REGISTRY_NAME}=127.0.0.1 --insecure-registry ${registry.name}`;
          const lines = [
            '',
            c.bold('The cluster keeps running (Ctrl-C stops it). In another shell:'),
            `  export KUBECONFIG=${kubeconfigPath}`,
            '  kubectl get pods -A -o wide',
            `  kubefresh doctor -A ${flagsLine}`,
            `  kubefresh history deployment/web -n scenario-1`,
            `  kubefresh restart deployment/web -n scenario-1 ${flagsLine}`,
          ];
          if (flags.output === 'jsonl')
            io.stdout.write(
              `${JSON.stringify({ type: 'demo:keep', kubeconfig: kubeconfigPath, registry: registry.name })}\n`,
            );
          else io.stdout.write(`${lines.join('\n')}\n`);
          await new Promise<void>((resolve) => {
            if (io.signal === undefined || io.signal.aborted) return resolve();
            io.signal.addEventListener('abort', () => resolve(), { once: true });
          });
        }
      } finally {
        await cluster.stop();
        await rm(dir, { recursive: true, force: true });
        if (keep) io.stderr.write('cluster stopped\n');
      }
    });
  return command;
}
