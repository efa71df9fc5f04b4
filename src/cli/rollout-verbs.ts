/**
 * What the verbs that act on a Deployment's rollout (`restart`, `rollback`, `history`) share: the
 * `deployment/NAME` argument, their flags, and how their events, pods and resume hints are printed.
 */
import { type Command, Option } from 'commander';
import { shortDigest } from '../core/diagnose/index.js';
import { comment, shellCommand } from '../core/shell/index.js';
import { KubefreshError, redact } from '../errors/index.js';
import type { PodDigest } from '../pipeline/restart/index.js';
import type { EventSink, PipelineEvent } from '../ports/events.js';
import { addKubeFlags, connect } from './cluster-flags.js';
import type { CommandContext } from './context.js';
import type { CliIO } from './io.js';
import { addRegistryFlags, parseDuration, type RegistryFlags } from './registry-flags.js';
import type { Colors } from './render/colors.js';
import { writeData } from './render/terminal-sink.js';

const DEPLOYMENT_KINDS = new Set(['deployment', 'deployments', 'deploy', 'deployment.apps']);

/**
 * `deployment/web` (or kubectl's `deploy/web`) → `web`. Revisions, undo and restart are read from
 * ReplicaSets here, so only Deployments are accepted; other kinds say so.
 */
export function deploymentName(text: string, verb: string): string {
  const slash = text.indexOf('/');
  const kind = slash === -1 ? '' : text.slice(0, slash).toLowerCase();
  const name = text.slice(slash + 1);
  if (slash === -1 || !DEPLOYMENT_KINDS.has(kind) || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    throw new KubefreshError('USAGE_INVALID_TARGET', `expected deployment/NAME, got "${text}"`, {
      hint: `kubefresh ${verb} works on Deployments, for example: kubefresh ${verb} deployment/web`,
    });
  }
  return name;
}

/** The flags restart and rollback share. */
export interface RolloutFlags extends RegistryFlags {
  readonly namespace?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly requestTimeout: number;
  readonly resolve: string[];
  readonly rolloutTimeout: number;
  readonly output: 'text' | 'json' | 'jsonl';
}

/** `-n`, the kube and registry flags, `--rollout-timeout` and `-o text|json|jsonl`. */
export function addRolloutFlags(command: Command): Command {
  command
    .option('-n, --namespace <namespace>', 'the namespace (default: the context namespace)')
    .addOption(
      new Option(
        '--rollout-timeout <duration>',
        'stop waiting for the rollout after this long (0 = no limit)',
      )
        .argParser((value: string) => (value.trim() === '0' ? 0 : parseDuration(value)))
        .default(0, '0'),
    )
    .addOption(
      new Option(
        '-o, --output <format>',
        'output format: text, json (one document) or jsonl (one event per line)',
      )
        .choices(['text', 'json', 'jsonl'])
        .default('text'),
    );
  addKubeFlags(command);
  addRegistryFlags(command);
  return command;
}

/**
 * What restart and rollback do before their pipeline runs: the Deployment's name and namespace,
 * the clients and event printer the pipeline takes, and the Ctrl-C signal to stop waiting on.
 */
export async function rolloutSetup(
  target: string,
  verb: string,
  flags: RolloutFlags,
  context: CommandContext,
  self: Command,
) {
  const name = deploymentName(target, verb);
  const c = context.colors(self);
  const clients = await connect(flags, context);
  const { signal } = context.io;
  return {
    name,
    namespace: flags.namespace ?? clients.kube.defaultNamespace,
    c,
    deps: {
      kube: clients.kube,
      registry: clients.registry,
      events: eventPrinter(context.io, flags.output, c, context.globals(self).quiet),
    },
    stop: signal === undefined ? {} : { signal },
  };
}

/** Pipeline events as the CLI prints them: plain lines for text, one JSON object per line for jsonl. */
export function eventPrinter(
  io: CliIO,
  output: RolloutFlags['output'],
  c: Colors,
  quiet: boolean,
): EventSink {
  let lastProgress = '';
  return {
    emit(event: PipelineEvent) {
      if (output === 'jsonl') {
        writeData(io.stdout, `${redact(JSON.stringify(event))}\n`);
        return;
      }
      if (output === 'json' || quiet) return;
      const line = eventLine(event, c);
      if (line === undefined) return;
      if (event.type === 'step:progress') {
        if (line === lastProgress) return;
        lastProgress = line;
      }
      io.stderr.write(`${redact(line)}\n`);
    },
  };
}

export function eventLine(event: PipelineEvent, c: Colors): string | undefined {
  switch (event.type) {
    case 'step:start':
      return `${c.cyan('→')} ${event.message}`;
    case 'step:progress':
      return c.dim(
        `  ${event.message}${event.pods ? ` (${event.pods.updated}/${event.pods.desired} updated, ${event.pods.ready} ready)` : ''}`,
      );
    case 'step:done':
      return `${c.green('✓')} ${event.message} ${c.dim(`${(event.durationMs / 1000).toFixed(1)}s`)}`;
    case 'step:failed':
      return `${c.red('✗')} ${event.code}: ${event.message}`;
    case 'step:skipped':
      return `${c.dim('-')} ${event.message}`;
    case 'warning':
      return undefined;
  }
}

/** `k3s-agent-1  web-7d9c-x2x4z  sha256:0123456789ab` lines for a set of pods. */
export function podLines(pods: readonly PodDigest[], c: Colors, indent = '    '): string[] {
  return pods.map(
    (p) =>
      `${indent}${(p.node ?? '-').padEnd(14)} ${p.pod.padEnd(28)} ${p.digest === undefined ? c.yellow('not started') : shortDigest(p.digest)}`,
  );
}

/** A warning with its fix commands, for text output. */
export function warningLines(
  w: { code: string; container: string; message: string; fix: readonly string[] },
  c: Colors,
): string[] {
  const lines = [`${c.yellow('!')} ${c.yellow(w.code)} ${w.container}: ${w.message}`];
  w.fix.forEach((command, i) => {
    lines.push(`    ${i === 0 ? c.green('fix:') : '    '} ${c.dim('$')} ${command}`);
  });
  return lines;
}

/** The text summary of a restart: per container, the pods before and after, then warnings. */
/** Lines telling an interrupted user how to carry on: check again, or go back. */
export function resumeLines(namespace: string, name: string): string {
  const workload = [`deployment/${name}`, '-n', namespace];
  const line = (argv: readonly string[], why: string) => `  ${shellCommand(argv).padEnd(60)} ${comment(why)}`;
  return [
    'stopped waiting; nothing further was changed. To carry on:',
    line(['kubectl', 'rollout', 'status', ...workload], 'keep waiting'),
    line(['kubefresh', 'doctor', ...workload], 'check the digests'),
    line(['kubefresh', 'rollback', ...workload], 'go back to the previous revision'),
    '',
  ].join('\n');
}

/** `kubefresh restart deployment/NAME`: rollout restart, then every pod's digest before and after. */
