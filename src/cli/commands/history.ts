import { Command, Option } from 'commander';
import { shortDigest } from '../../core/diagnose/index.js';
import { redact } from '../../errors/index.js';
import type { DeploymentHistory, Revision, RevisionContainer } from '../../pipeline/history/index.js';
import { VERSION } from '../../version.js';
import { addKubeFlags } from '../cluster-flags.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import type { Colors } from '../render/colors.js';
import { writeResult } from '../render/result.js';
import { deploymentName } from '../rollout-verbs.js';

/** The version of `history -o json`. Raised only for breaking changes. */
export const HISTORY_JSON_SCHEMA_VERSION = 1;

interface HistoryFlags {
  readonly namespace?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly requestTimeout: number;
  readonly output: 'text' | 'json';
}

/** `sha256:0123456789ab on 2 pods (k3s-server, k3s-agent-1)` */
function runningLine(container: RevisionContainer, c: Colors): string[] {
  return container.running.map((r) => {
    const nodes = [...new Set(r.pods.map((p) => p.node ?? '-'))].join(', ');
    const pods = `${r.pods.length} pod${r.pods.length === 1 ? '' : 's'}`;
    const digest = r.digest === undefined ? c.yellow('not started') : shortDigest(r.digest);
    return `runs    ${digest} on ${pods} (${nodes})`;
  });
}

function revisionBlock(rev: Revision, c: Colors): string[] {
  const mark = rev.current ? c.green('*') : ' ';
  const number = rev.current ? c.bold(String(rev.revision)) : String(rev.revision);
  const was = rev.previousRevisions.length === 0 ? '' : c.dim(` (was ${rev.previousRevisions.join(', ')})`);
  const cause = rev.changeCause === undefined ? c.dim('<none>') : rev.changeCause;
  const lines = [
    `${mark} ${number.padStart(3)}${was}  ${cause}`,
    c.dim(
      `        ${rev.replicaSet}  created ${rev.created ?? '-'}  ${rev.readyReplicas}/${rev.replicas} ready`,
    ),
  ];
  for (const container of rev.containers) {
    lines.push(`      ${container.name}  ${container.image}`);
    const detail: string[] = [];
    if (container.pinned !== undefined) detail.push(`pinned  ${shortDigest(container.pinned)}`);
    if (container.recorded !== undefined && container.recorded !== container.pinned)
      detail.push(`ran     ${shortDigest(container.recorded)} ${c.dim('(recorded by kubefresh)')}`);
    detail.push(...runningLine(container, c));
    if (container.running.filter((r) => r.digest !== undefined).length > 1)
      detail.push(c.red('mixed   one tag, several digests: pods run different code'));
    if (detail.length === 0) detail.push(c.dim('no pods and no recorded digest'));
    for (const line of detail) lines.push(`        ${line}`);
  }
  return lines;
}

/** The text view: one block per revision, oldest first, `*` on the one that runs now. */
export function renderHistoryText(history: DeploymentHistory, c: Colors): string {
  const lines = [
    `${c.bold(`deployment/${history.name}`)} -n ${history.namespace}: ${history.revisions.length} revision${history.revisions.length === 1 ? '' : 's'}, running revision ${history.currentRevision}${history.paused ? c.yellow(' (paused)') : ''}`,
  ];
  for (const rev of history.revisions) lines.push(...revisionBlock(rev, c));
  if (history.revisions.length === 0) lines.push('no rollout history found');
  return `${redact(lines.join('\n'))}\n`;
}

/** `history -o json`: the same data, stable keys, no Kubernetes objects. */
export function historyJson(history: DeploymentHistory): Record<string, unknown> {
  return {
    schemaVersion: HISTORY_JSON_SCHEMA_VERSION,
    kind: 'kubefresh.history',
    tool: { name: 'kubefresh', version: VERSION },
    namespace: history.namespace,
    name: history.name,
    currentRevision: history.currentRevision,
    paused: history.paused,
    revisions: history.revisions.map((r) => ({
      revision: r.revision,
      previousRevisions: r.previousRevisions,
      replicaSet: r.replicaSet,
      created: r.created ?? null,
      changeCause: r.changeCause ?? null,
      current: r.current,
      replicas: r.replicas,
      readyReplicas: r.readyReplicas,
      containers: r.containers.map((k) => ({
        name: k.name,
        image: k.image,
        tag: k.tag ?? null,
        pinned: k.pinned ?? null,
        recorded: k.recorded ?? null,
        pullPolicy: k.pullPolicy ?? null,
        running: k.running.map((g) => ({ digest: g.digest ?? null, pods: g.pods })),
      })),
    })),
  };
}

/** `kubefresh history deployment/NAME`: revisions with images, digests, change causes and times. */
export function historyCommand(context: CommandContext): Command {
  const command = new Command('history')
    .description('list a deployment’s revisions with images, digests, change causes and which one runs')
    .argument('<workload>', 'deployment/NAME')
    .option('-n, --namespace <namespace>', 'the namespace (default: the context namespace)')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
    );
  addKubeFlags(command);
  command
    .addHelpText(
      'after',
      `
Like kubectl rollout history, from the ReplicaSets' revision annotations (a reused template keeps
its old numbers in revision-history), plus what kubectl never shows: the digest each revision pins,
the digest kubefresh recorded when it verified the revision, and the digests its pods run now.
${examples([
  ['Revisions of web, the running one marked *', 'kubefresh history deployment/web'],
  ['As JSON', 'kubefresh history deploy/web -n shop -o json'],
])}`,
    )
    .action(async (target: string, flags: HistoryFlags) => {
      const name = deploymentName(target, 'history');
      const { HttpKubeClient } = await import('../../adapters/kube/index.js');
      const { readHistory } = await import('../../pipeline/history/index.js');
      const kube = new HttpKubeClient({
        ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
        ...(flags.context === undefined ? {} : { context: flags.context }),
        env: context.io.env,
        requestTimeoutMs: flags.requestTimeout,
      });
      const history = await readHistory(kube, flags.namespace ?? kube.defaultNamespace, name);
      writeResult(context.io.stdout, flags.output, historyJson(history), () =>
        renderHistoryText(history, context.colors(command)),
      );
    });
  return command;
}
