import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { parseImageRef } from '../../core/image-ref/index.js';
import { KubefreshError } from '../../errors/index.js';
import { simStateDir } from '../../sim/cluster/state.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';

// The sim modules are loaded on use so that other verbs do not pay for them.
const simCluster = () => import('../../sim/cluster/index.js');
const simImages = () => import('../../sim/images/index.js');

interface StartFlags {
  readonly nodes: string;
  readonly arch: string;
  readonly port: string;
  readonly kubeconfig?: string;
  readonly registry: boolean;
  readonly registryPort: string;
  readonly speed: string;
  readonly detach?: boolean;
  readonly force?: boolean;
  readonly allowExternalRegistries?: boolean;
  readonly errorRate?: string;
  readonly conflictRate?: string;
  readonly latency?: string;
}

interface ImageFlags {
  readonly label: string[];
  readonly env: string[];
  readonly log: string[];
  readonly platform: string[];
  readonly exitCode?: string;
  readonly runDuration?: string;
  readonly startDelay?: string;
  readonly readyDelay?: string;
  readonly requireEnv?: string;
  readonly memory?: string;
  readonly appVersion?: string;
  readonly format: 'oci' | 'docker';
}

const repeat = (value: string, previous: string[]) => [...previous, value];

function usage(message: string, hint?: string): KubefreshError {
  return new KubefreshError('USAGE_INVALID_VALUE', message, hint ? { hint } : {});
}

function integer(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max)
    throw usage(`invalid ${flag} "${text}": expected a whole number from ${min} to ${max}`);
  return value;
}

function rate(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1))
    throw usage(`invalid ${flag} "${text}": expected a probability from 0 to 1, e.g. 0.1`);
  return value;
}

function keyValues(items: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw usage(`invalid ${flag} "${item}": expected KEY=VALUE`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

const stateDirOf = (context: CommandContext): string => simStateDir(context.io.env);

async function runningState(context: CommandContext) {
  const { readSimState } = await simCluster();
  const state = await readSimState(stateDirOf(context));
  if (!state || !(await answers(state))) {
    throw new KubefreshError('SIM_NOT_RUNNING', 'no simulated cluster is running', {
      hint: 'start one with: kubefresh sim start --detach',
    });
  }
  return state;
}

/** The endpoint a cluster process serves for the other `sim` verbs, with its secret. */
interface AdminEndpoint {
  readonly adminUrl: string;
  readonly adminToken?: string;
}

/**
 * Whether the recorded cluster is alive and ours: its process exists and its admin endpoint
 * answers to the recorded secret. A pid alone is not enough: after a crash or a reboot the pid may
 * belong to any other process.
 */
async function answers(state: AdminEndpoint & { pid: number }): Promise<boolean> {
  const { processAlive } = await simCluster();
  if (!processAlive(state.pid)) return false;
  return admin(state, 'GET', '/status').then(
    () => true,
    () => false,
  );
}

async function admin(
  endpoint: AdminEndpoint,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const { adminUrl } = endpoint;
  let response: Response;
  try {
    response = await fetch(`${adminUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${endpoint.adminToken ?? ''}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new KubefreshError('SIM_UNREACHABLE', `the simulated cluster at ${adminUrl} did not answer`, {
      cause: error,
      hint: 'check with: kubefresh sim status',
    });
  }
  const json = (await response.json()) as { error?: string };
  if (!response.ok) throw new KubefreshError('SIM_REQUEST_FAILED', json.error ?? `HTTP ${response.status}`);
  return json;
}

/** Image flags → an ImageSpec with behaviour labels. */
async function imageSpec(flags: ImageFlags) {
  const labels = await simImages();
  const out: Record<string, string> = keyValues(flags.label, '--label');
  const numeric = (text: string | undefined, flag: string, label: string) => {
    if (text !== undefined) out[label] = String(integer(text, flag, 0));
  };
  numeric(flags.exitCode, '--exit-code', labels.LABEL_EXIT_CODE);
  numeric(flags.runDuration, '--run-duration', labels.LABEL_RUN_DURATION);
  numeric(flags.startDelay, '--start-delay', labels.LABEL_START_DELAY);
  numeric(flags.readyDelay, '--ready-delay', labels.LABEL_READY_DELAY);
  if (flags.log.length > 0) out[labels.LABEL_LOGS] = JSON.stringify(flags.log);
  if (flags.requireEnv !== undefined) out[labels.LABEL_REQUIRE_ENV] = flags.requireEnv;
  if (flags.memory !== undefined) out[labels.LABEL_MEMORY] = flags.memory;
  if (flags.appVersion !== undefined) out[labels.LABEL_VERSION] = flags.appVersion;
  for (const platform of flags.platform) {
    if (!/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/.test(platform))
      throw usage(`invalid --platform "${platform}": expected os/arch[/variant], e.g. linux/arm64`);
  }
  return {
    spec: {
      entrypoint: ['/app/server'],
      labels: out,
      env: keyValues(flags.env, '--env'),
      format: flags.format,
      layers: [{ 'app/VERSION': `${flags.appVersion ?? 'dev'}\n` }],
    },
    platforms: flags.platform,
  };
}

function withImageFlags(command: Command): Command {
  return command
    .option('--label <key=value>', 'config label (repeatable)', repeat, [] as string[])
    .option(
      '--env <key=value>',
      'environment variable in the image config (repeatable)',
      repeat,
      [] as string[],
    )
    .option('--log <line>', 'a line the container prints when it starts (repeatable)', repeat, [] as string[])
    .option(
      '--platform <os/arch>',
      'platform; repeat for a multi-platform index (default linux/amd64)',
      repeat,
      [] as string[],
    )
    .option('--exit-code <n>', 'the process exits with this code (default: runs until stopped)')
    .option('--run-duration <ms>', 'simulated milliseconds before the process exits')
    .option('--start-delay <ms>', 'simulated milliseconds before the process is up')
    .option('--ready-delay <ms>', 'simulated milliseconds until the container reports ready')
    .option('--require-env <names>', 'comma-separated env vars the process needs, else it exits 1')
    .option('--memory <quantity>', 'memory the process uses (above the limit: OOMKilled)')
    .option('--app-version <text>', 'version the app logs, to tell images apart')
    .addOption(
      new Option('--format <format>', 'manifest media types').choices(['oci', 'docker']).default('oci'),
    );
}

async function build(flags: ImageFlags) {
  const { spec, platforms } = await imageSpec(flags);
  const images = await simImages();
  return platforms.length > 1
    ? images.buildMultiPlatformImage(spec, platforms)
    : images.buildImage({ ...spec, ...(platforms[0] ? { platform: platforms[0] } : {}) });
}

function startCommand(context: CommandContext): Command {
  return new Command('start')
    .description('start a simulated K3s cluster (API server, controllers, kubelets, registry)')
    .option('--nodes <n>', 'number of nodes: k3s-server, then k3s-agent-1…', '3')
    .option('--arch <list>', 'node architectures, comma-separated, cycled over the nodes', 'amd64')
    .option('--port <port>', 'API server port on 127.0.0.1 (0: any free port)', '0')
    .option('--kubeconfig <file>', 'write the kubeconfig here (default: in the sim state directory)')
    .option('--force', 'with --kubeconfig: replace a file that is already there')
    .option('--with-registry', 'run an OCI registry on the server node (default)')
    .option('--no-registry', 'run no registry')
    .option('--registry-port <port>', 'registry port on 127.0.0.1 (0: any free port)', '0')
    .option('--speed <factor>', 'simulated seconds per real second (back-offs and deadlines)', '1')
    .option('--detach', 'run the cluster in a background process and return once it is ready')
    .option('--allow-external-registries', 'let nodes pull from registries outside this machine')
    .option('--error-rate <p>', 'API fault: share of requests answered 500')
    .option('--conflict-rate <p>', 'API fault: share of writes answered 409 Conflict')
    .option('--latency <ms>', 'API fault: delay before every request')
    .addHelpText(
      'after',
      `
Nodes are named like K3s: the first is the server (control plane), k3s-server; then k3s-agent-1…
The registry listens on 127.0.0.1:PORT and is declared to run on k3s-server:
  registry.sim:PORT/app   pulls on every node (each node has an http mirror for it)
  localhost:PORT/app      pulls on k3s-server only; agents get "connection refused" (the seed's trap)
  127.0.0.1:PORT/app      where to push from this machine
Other registry hosts do not resolve on the nodes unless --allow-external-registries is given.
In the foreground, Ctrl-C stops the cluster. State lives in $KUBEFRESH_SIM_DIR
(default ~/.local/state/kubefresh/sim), so sim status/stop/node find the running cluster.
${examples([
  [
    'A three-node cluster in the background',
    'kubefresh sim start --detach && export KUBECONFIG=~/.local/state/kubefresh/sim/kubeconfig.yaml',
  ],
  [
    'Mixed architectures, time running 20× faster',
    'kubefresh sim start --nodes 4 --arch amd64,arm64 --speed 20',
  ],
  ['A flaky API server', 'kubefresh sim start --error-rate 0.05 --latency 50'],
])}`,
    )
    .action(async (flags: StartFlags, command: Command) => {
      context.setExitCode(await runStart(flags, context, command));
    });
}

async function runStart(flags: StartFlags, context: CommandContext, command: Command): Promise<number> {
  const { io } = context;
  const nodes = integer(flags.nodes, '--nodes', 1, 1000);
  const port = integer(flags.port, '--port', 0, 65535);
  const registryPort = integer(flags.registryPort, '--registry-port', 0, 65535);
  const speed = Number(flags.speed);
  if (!(speed > 0) || !Number.isFinite(speed))
    throw usage(`invalid --speed "${flags.speed}": expected a number > 0, e.g. 1 or 20`);
  const arch = flags.arch.split(',').map((a) => a.trim());
  if (arch.some((a) => !/^[a-z0-9]+$/.test(a)))
    throw usage(`invalid --arch "${flags.arch}": expected architectures like amd64,arm64`);
  const errorRate = rate(flags.errorRate, '--error-rate');
  const conflictRate = rate(flags.conflictRate, '--conflict-rate');
  const faults = {
    ...(errorRate === undefined ? {} : { errorRate }),
    ...(conflictRate === undefined ? {} : { conflictRate }),
    ...(flags.latency === undefined ? {} : { latencyMs: integer(flags.latency, '--latency', 0) }),
  };
  const dir = stateDirOf(context);
  const kubeconfigPath = flags.kubeconfig
    ? isAbsolute(flags.kubeconfig)
      ? flags.kubeconfig
      : resolve(io.cwd, flags.kubeconfig)
    : join(dir, 'kubeconfig.yaml');
  const sim = await simCluster();
  const existing = await sim.readSimState(dir);
  // A stale state file (a crash, a reboot) names a pid that may now be anyone's: it blocks nothing.
  if (existing && (await answers(existing))) {
    throw new KubefreshError(
      'SIM_ALREADY_RUNNING',
      `a simulated cluster is already running (pid ${existing.pid}, ${existing.apiUrl})`,
      {
        hint: 'stop it with kubefresh sim stop, or set KUBEFRESH_SIM_DIR to run another',
      },
    );
  }
  // A kubeconfig is a user's credentials to every cluster they use: never replaced unasked.
  if (flags.kubeconfig !== undefined && flags.force !== true && existsSync(kubeconfigPath)) {
    throw new KubefreshError('USAGE_KUBECONFIG_EXISTS', `--kubeconfig "${flags.kubeconfig}" already exists`, {
      hint: 'pass another path (or none: the sim keeps its own), or --force to replace that file',
    });
  }
  await mkdir(dir, { recursive: true });
  if (flags.detach) return detach(context, dir, kubeconfigPath, command);

  const cluster = await sim.startSimCluster({
    nodes,
    arch,
    speed,
    port,
    registryPort,
    withRegistry: flags.registry,
    kubeconfigPath,
    allowExternalRegistries: flags.allowExternalRegistries === true,
    faults,
    ...(context.globals(command).verbose
      ? {
          onError: (component: string, key: string, error: unknown) =>
            io.stderr.write(`${component}: ${key}: ${String(error)}\n`),
        }
      : {}),
  });
  let stopRequested!: () => void;
  const stopped = new Promise<void>((r) => {
    stopRequested = r;
  });
  const adminServer = await sim.startAdminServer(cluster, () => stopRequested());
  const registry = cluster.registry;
  await sim.writeSimState(dir, {
    pid: process.pid,
    apiUrl: cluster.apiUrl,
    kubeconfigPath,
    adminUrl: adminServer.url,
    adminToken: adminServer.token,
    registry: registry ? { name: registry.name, localName: registry.localName, url: registry.url } : null,
    nodes: cluster.nodeNames.map((name) => ({
      name,
      role: cluster.node(name).role,
      architecture: cluster.node(name).architecture,
    })),
    speed,
    startedAt: new Date().toISOString(),
    ...(io.env.KUBEFRESH_SIM_LOG ? { logFile: io.env.KUBEFRESH_SIM_LOG } : {}),
  });
  io.stdout.write(
    readyText(cluster.nodeNames, cluster.apiUrl, registry, kubeconfigPath, !context.globals(command).quiet),
  );
  const onAbort = () => stopRequested();
  io.signal?.addEventListener('abort', onAbort, { once: true });
  await stopped;
  io.signal?.removeEventListener('abort', onAbort);
  await adminServer.close();
  await cluster.stop();
  await sim.removeSimState(dir, process.pid);
  if (!context.globals(command).quiet) io.stderr.write('simulated cluster stopped\n');
  return 0;
}

function readyText(
  nodes: readonly string[],
  apiUrl: string,
  registry: { name: string; localName: string; url: string } | null | undefined,
  kubeconfig: string,
  detail: boolean,
): string {
  const lines = detail
    ? [
        `Simulated K3s cluster ready: ${nodes.length} node(s) (${nodes.join(', ')}), API ${apiUrl}`,
        ...(registry
          ? [
              `Registry on ${nodes[0]}: push to ${registry.url.replace('http://', '')}, pull as ${registry.name}/… on every node (${registry.localName}/… on ${nodes[0]} only)`,
            ]
          : []),
        `Kubeconfig: ${kubeconfig}`,
      ]
    : [];
  return `${[...lines, `export KUBECONFIG=${kubeconfig}`].join('\n')}\n`;
}

async function detach(
  context: CommandContext,
  dir: string,
  kubeconfigPath: string,
  command: Command,
): Promise<number> {
  const { io } = context;
  const sim = await simCluster();
  // The running script when there is one (the built CLI is bundled, so this module's own
  // location says nothing about where the entry point is); else the entry beside this folder.
  const bin = io.entry ?? fileURLToPath(new URL('../bin.js', import.meta.url));
  const argv = process.argv.slice(2);
  const simIndex = argv.indexOf('sim');
  // Re-run the same command line without --detach, with the resolved paths.
  const args = (simIndex >= 0 ? argv.slice(simIndex) : ['sim', 'start']).filter((a) => a !== '--detach');
  const logFile = join(dir, 'sim.log');
  const log = await open(logFile, 'w');
  // The parent checked the kubeconfig path; the child writes it.
  const child = spawn(
    process.execPath,
    [...process.execArgv, bin, ...args, '--kubeconfig', kubeconfigPath, '--force'],
    {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      cwd: io.cwd,
      env: { ...process.env, ...io.env, KUBEFRESH_SIM_DIR: dir, KUBEFRESH_SIM_LOG: logFile },
    },
  );
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  child.unref();
  await log.close();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await sim.readSimState(dir);
    if (state && state.pid === child.pid) {
      io.stdout.write(
        readyText(
          state.nodes.map((n) => n.name),
          state.apiUrl,
          state.registry,
          state.kubeconfigPath,
          !context.globals(command).quiet,
        ),
      );
      if (!context.globals(command).quiet)
        io.stdout.write(`Running in the background (pid ${state.pid}); stop it with: kubefresh sim stop\n`);
      return 0;
    }
    if (exited !== undefined || Date.now() > deadline) {
      const output = await readFile(logFile, 'utf8').catch(() => '');
      if (exited === undefined && child.pid !== undefined) process.kill(child.pid);
      throw new KubefreshError(
        'SIM_START_FAILED',
        `the background cluster did not start${exited !== undefined ? ` (exit code ${exited})` : ' within 60 s'}`,
        {
          hint: output.trim() === '' ? `see ${logFile}` : output.trim().split('\n').slice(-5).join('\n'),
        },
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stopCommand(context: CommandContext): Command {
  return new Command('stop')
    .description('stop the running simulated cluster')
    .addHelpText('after', examples([['Stop the cluster started with --detach', 'kubefresh sim stop']]))
    .action(async (_flags: unknown, command: Command) => {
      const { io } = context;
      const sim = await simCluster();
      const dir = stateDirOf(context);
      const state = await sim.readSimState(dir);
      // Only a process that answers to the recorded secret is signalled: a stale pid may be anyone's.
      if (!state || !(await answers(state))) {
        await sim.removeSimState(dir);
        if (!context.globals(command).quiet) {
          io.stdout.write(
            state && sim.processAlive(state.pid)
              ? `no simulated cluster is running (pid ${state.pid} is another process now; left alone)\n`
              : 'no simulated cluster is running\n',
          );
        }
        return;
      }
      await admin(state, 'POST', '/stop').catch(() => process.kill(state.pid, 'SIGTERM'));
      const deadline = Date.now() + 15_000;
      while (sim.processAlive(state.pid) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      if (sim.processAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
      await sim.removeSimState(dir, state.pid);
      if (!context.globals(command).quiet)
        io.stdout.write(`stopped the simulated cluster (pid ${state.pid})\n`);
    });
}

function statusCommand(context: CommandContext): Command {
  return new Command('status')
    .description('show the running simulated cluster: API, kubeconfig, registry, nodes')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `\nExit code 3 when no cluster is running.\n${examples([['Is a cluster running?', 'kubefresh sim status']])}`,
    )
    .action(async (flags: { output: string }) => {
      const state = await runningState(context);
      const live = (await admin(state, 'GET', '/status')) as { pods: number; deployments: number };
      const { io } = context;
      if (flags.output === 'json') {
        io.stdout.write(`${JSON.stringify({ ...state, ...live }, null, 2)}\n`);
        return;
      }
      const lines = [
        `running (pid ${state.pid}) since ${state.startedAt}, speed ${state.speed}×`,
        `API:        ${state.apiUrl}`,
        `kubeconfig: ${state.kubeconfigPath}`,
        `registry:   ${state.registry ? `${state.registry.name} (push to ${state.registry.url})` : 'none'}`,
        `nodes:      ${state.nodes.map((n) => `${n.name} (${n.role}, ${n.architecture})`).join(', ')}`,
        `objects:    ${live.deployments} deployment(s), ${live.pods} pod(s)`,
      ];
      io.stdout.write(`${lines.join('\n')}\n`);
    });
}

function nodeCommand(context: CommandContext): Command {
  const node = new Command('node').description(
    "a node's containerd image cache and registries.yaml (like k3s ctr / crictl on that node)",
  );
  node.addCommand(
    new Command('images')
      .description("list a node's cached images (crictl images)")
      .argument('<node>', 'node name, e.g. k3s-agent-1')
      .addOption(
        new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
      )
      .addHelpText(
        'after',
        examples([['What k3s-agent-1 has cached', 'kubefresh sim node images k3s-agent-1']]),
      )
      .action(async (name: string, flags: { output: string }) => {
        const state = await runningState(context);
        const images = (await admin(state, 'GET', `/nodes/${encodeURIComponent(name)}/images`)) as {
          id: string;
          repoTags: string[];
          repoDigests: string[];
          size: number;
        }[];
        if (flags.output === 'json') {
          context.io.stdout.write(`${JSON.stringify(images, null, 2)}\n`);
          return;
        }
        const rows = images.flatMap((i) =>
          (i.repoTags.length > 0 ? i.repoTags : ['<none>']).map(
            (tag) => `${tag}  ${i.id.slice(7, 19)}  ${i.repoDigests[0] ?? '<no repo digest>'}`,
          ),
        );
        context.io.stdout.write(rows.length === 0 ? `no images on ${name}\n` : `${rows.join('\n')}\n`);
      }),
  );
  node.addCommand(
    withImageFlags(
      new Command('import')
        .description(
          'import a synthetic image into one node only (k3s ctr images import): no registry, no repo digest',
        )
        .argument('<node>', 'node name')
        .argument('<ref>', 'the name:tag the image gets on that node'),
    )
      .addHelpText(
        'after',
        examples([
          [
            'An app:dev that exists on the server node only',
            'kubefresh sim node import k3s-server app:dev --app-version dev',
          ],
          [
            'A v2 that crashes, imported on one agent',
            'kubefresh sim node import k3s-agent-1 app:v2 --exit-code 1 --log "panic: boom"',
          ],
        ]),
      )
      .action(async (name: string, ref: string, flags: ImageFlags) => {
        parseImageRef(ref);
        const state = await runningState(context);
        const { spec, platforms } = await imageSpec(flags);
        const stored = (await admin(state, 'POST', `/nodes/${encodeURIComponent(name)}/images`, {
          reference: ref,
          spec,
          platforms,
        })) as { id: string };
        context.io.stdout.write(`imported ${ref} on ${name}: ${stored.id}\n`);
      }),
  );
  node.addCommand(
    new Command('rmi')
      .description("remove an image from one node's cache (crictl rmi)")
      .argument('<node>', 'node name')
      .argument('<ref>', 'name:tag, name@digest or sha256:<id>')
      .addHelpText(
        'after',
        examples([
          [
            'Make k3s-agent-2 pull app:latest again',
            'kubefresh sim node rmi k3s-agent-2 registry.sim:5000/app:latest',
          ],
        ]),
      )
      .action(async (name: string, ref: string) => {
        const state = await runningState(context);
        const result = (await admin(
          state,
          'DELETE',
          `/nodes/${encodeURIComponent(name)}/images?reference=${encodeURIComponent(ref)}`,
        )) as { removed: boolean };
        if (!result.removed) throw new KubefreshError('SIM_IMAGE_NOT_FOUND', `no image "${ref}" on ${name}`);
        context.io.stdout.write(`removed ${ref} from ${name}\n`);
      }),
  );
  node.addCommand(
    new Command('registries')
      .description(
        "write a node's /etc/rancher/k3s/registries.yaml and restart its agent, as K3s reads it at start",
      )
      .argument('<file>', 'a K3s registries.yaml (mirrors:, configs:), or - for standard input')
      .argument('[nodes...]', 'node names (default: every node, as the file belongs on every node)')
      .addHelpText(
        'after',
        `
The file replaces what the node had (the cluster's own registry.sim mirror always stays); the next
pull on that node uses it. A file K3s would refuse changes nothing.
${examples([
  [
    'Apply the mirror doctor printed for localhost:5000 to every node',
    'kubefresh sim node registries registries.yaml',
  ],
  ['Only one agent, from standard input', 'kubefresh sim node registries - k3s-agent-1 < registries.yaml'],
])}`,
      )
      .action(async (file: string, names: string[]) => {
        const yaml = await readRegistriesFile(file, context);
        const state = await runningState(context);
        const known = state.nodes.map((n) => n.name);
        const targets = names.length > 0 ? names : known;
        // Every name is checked before any node changes, so a typo leaves the cluster as it was.
        const unknown = targets.filter((name) => !known.includes(name));
        if (unknown.length > 0) {
          throw new KubefreshError(
            'USAGE_UNKNOWN_NODE',
            `no node named ${unknown.map((n) => `"${n}"`).join(', ')} (nodes: ${known.join(', ')})`,
          );
        }
        for (const name of targets) {
          await admin(state, 'PUT', `/nodes/${encodeURIComponent(name)}/registries`, { yaml });
        }
        context.io.stdout.write(
          `registries.yaml applied on ${targets.join(', ')}; the next pull on ${targets.length === 1 ? 'that node' : 'each'} uses it\n`,
        );
      }),
  );
  return node;
}

/** The registries.yaml text, checked as K3s would before any node sees it. */
async function readRegistriesFile(file: string, context: CommandContext): Promise<string> {
  const { io } = context;
  const { ioError, readInputs } = await import('../../adapters/fs/index.js');
  if (file !== '-') {
    const info = await stat(resolve(io.cwd, file)).catch((err: unknown) => {
      throw ioError(file, err);
    });
    if (info.isDirectory())
      throw ioError(file, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  }
  let text = '';
  for await (const item of readInputs([file], { cwd: io.cwd, stdin: io.stdin, maxFileSize: 1 << 20 })) {
    if (item.kind === 'error') throw item.error;
    if (item.kind === 'skipped')
      throw new KubefreshError('USAGE_REGISTRIES_YAML', `${file}: ${item.message}`);
    text = item.text;
  }
  const { parseRegistriesYaml } = await simCluster();
  try {
    parseRegistriesYaml(text);
  } catch (error) {
    // The parser names the key that is wrong, never a value (the file may hold passwords).
    throw new KubefreshError('USAGE_REGISTRIES_YAML', `${file}: ${(error as Error).message}`, {
      hint: 'K3s registries.yaml: mirrors.<registry>.endpoint is a list of URLs; configs.<host> has auth: and tls:',
    });
  }
  return text;
}

function imageCommand(context: CommandContext): Command {
  const image = new Command('image').description(
    'synthetic images whose config labels say how the container behaves',
  );
  image.addCommand(
    withImageFlags(
      new Command('build')
        .description('build a synthetic image and print its digest')
        .argument('<ref>', 'name:tag'),
    )
      .option('--archive <file>', 'also write it as an OCI archive (what ctr images import reads)')
      .addHelpText(
        'after',
        examples([
          ['The digest a v1 image would have', 'kubefresh sim image build app:v1 --app-version v1'],
          [
            'A multi-platform image as an archive',
            'kubefresh sim image build app:v1 --platform linux/amd64 --platform linux/arm64 --archive app.tar',
          ],
        ]),
      )
      .action(async (ref: string, flags: ImageFlags & { archive?: string }) => {
        const parsed = parseImageRef(ref);
        const artifact = await build(flags);
        if (flags.archive) {
          const { ociArchive } = await simImages();
          const path = isAbsolute(flags.archive) ? flags.archive : resolve(context.io.cwd, flags.archive);
          const temp = `${path}.${process.pid}.tmp`;
          await writeFile(temp, ociArchive(artifact, { name: parsed.qualified() }));
          await rename(temp, path);
        }
        context.io.stdout.write(`${artifact.digest}\n`);
      }),
  );
  image.addCommand(
    withImageFlags(
      new Command('push')
        .description(
          "build a synthetic image and push it (to the sim's registry by any of its names, or a loopback registry)",
        )
        .argument('<ref>', 'e.g. registry.sim:PORT/app:v2 or 127.0.0.1:5000/app:v2'),
    )
      .addHelpText(
        'after',
        examples([
          [
            'Move :latest to a v2 (the stale-tag trap)',
            'kubefresh sim image push registry.sim:5000/app:latest --app-version v2',
          ],
          [
            'A v2 that crashes on start',
            'kubefresh sim image push registry.sim:5000/app:v2 --exit-code 1 --log "panic: boom"',
          ],
        ]),
      )
      .action(async (ref: string, flags: ImageFlags) => {
        const parsed = parseImageRef(ref);
        const { readSimState } = await simCluster();
        const state = await readSimState(stateDirOf(context));
        const registry = state?.registry;
        const port = registry ? new URL(registry.url).port : undefined;
        const host = parsed.registry;
        let url: string;
        if (
          registry &&
          (host === registry.name || host === registry.localName || host === `127.0.0.1:${port}`)
        ) {
          url = registry.url;
        } else if (/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host)) {
          url = `http://${host}`;
        } else {
          throw usage(
            `"${ref}" names registry "${host}", which is neither the sim's registry nor on this machine`,
            registry
              ? `push to ${registry.name}/…`
              : 'start a cluster with a registry: kubefresh sim start --detach',
          );
        }
        const artifact = await build(flags);
        const { pushImage } = await simImages();
        const result = await pushImage(url, parsed.repository, parsed.manifestReference(), artifact);
        context.io.stdout.write(`pushed ${ref}: ${result.digest}\n`);
      }),
  );
  return image;
}

function faultsCommand(context: CommandContext): Command {
  return new Command('faults')
    .description("inject API server faults into the running cluster (the server's /_sim/faults endpoint)")
    .option('--error-rate <p>', 'share of requests answered 500 InternalError')
    .option('--conflict-rate <p>', 'share of writes answered 409 Conflict')
    .option('--latency <ms>', 'delay before every request')
    .option('--drop-watches-after <ms>', 'end each watch stream after this long')
    .option('--gone-rate <p>', 'share of resumed watches answered 410 Gone')
    .option('--drop-watches', 'end every open watch now')
    .option('--clear', 'remove all faults')
    .addHelpText(
      'after',
      `\nThe same JSON can be PUT to <api>/_sim/faults; DELETE clears it.\n${examples([
        ['10% of requests fail, 100 ms latency', 'kubefresh sim faults --error-rate 0.1 --latency 100'],
        ['Back to normal', 'kubefresh sim faults --clear'],
      ])}`,
    )
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const state = await runningState(context);
      const request = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${state.apiUrl}${path}`, {
          method,
          ...(body === undefined
            ? {}
            : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        });
        if (!response.ok)
          throw new KubefreshError('SIM_REQUEST_FAILED', `${method} ${path}: ${await response.text()}`);
      };
      if (flags.clear) await request('DELETE', '/_sim/faults');
      const faults: Record<string, number> = {};
      const r = (key: string, flag: string, value: unknown) => {
        const v = rate(value as string | undefined, flag);
        if (v !== undefined) faults[key] = v;
      };
      r('errorRate', '--error-rate', flags.errorRate);
      r('conflictRate', '--conflict-rate', flags.conflictRate);
      r('goneRate', '--gone-rate', flags.goneRate);
      if (typeof flags.latency === 'string') faults.latencyMs = integer(flags.latency, '--latency', 0);
      if (typeof flags.dropWatchesAfter === 'string')
        faults.dropWatchesAfterMs = integer(flags.dropWatchesAfter, '--drop-watches-after', 1);
      if (Object.keys(faults).length > 0) await request('PUT', '/_sim/faults', faults);
      if (flags.dropWatches) await request('POST', '/_sim/faults/drop-watches');
      context.io.stdout.write(
        flags.clear && Object.keys(faults).length === 0
          ? 'faults cleared\n'
          : `faults: ${JSON.stringify(faults)}\n`,
      );
    });
}

/** `kubefresh sim`: a simulated K3s cluster and registry to reproduce image-freshness problems locally. */
export function simCommand(context: CommandContext): Command {
  const sim = new Command('sim')
    .description('a simulated multi-node K3s cluster + registry, for tests, demos and CI without Docker')
    .addCommand(startCommand(context))
    .addCommand(stopCommand(context))
    .addCommand(statusCommand(context))
    .addCommand(nodeCommand(context))
    .addCommand(imageCommand(context))
    .addCommand(faultsCommand(context))
    .addHelpText(
      'after',
      examples([
        ['Start in the background and point kubectl at it', 'eval "$(kubefresh sim start --detach -q)"'],
        [
          'Reproduce "new image, old pods"',
          'kubefresh sim image push registry.sim:PORT/app:latest --app-version v2',
        ],
        ['See which node caches what', 'kubefresh sim node images k3s-agent-1'],
        ['Stop it', 'kubefresh sim stop'],
      ]),
    );
  // Nested commands report usage errors and help the way every verb does (main.ts sets this on verbs only).
  const inherit = (parent: Command) => {
    for (const child of parent.commands) {
      child.exitOverride().configureOutput({
        writeOut: (text) => context.io.stdout.write(text),
        writeErr: (text) => context.io.stderr.write(text),
      });
      inherit(child);
    }
  };
  inherit(sim);
  return sim;
}
