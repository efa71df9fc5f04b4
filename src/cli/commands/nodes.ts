import { Command, Option } from 'commander';
import {
  type NodeObject,
  nodeImages,
  type PodObject,
  shortDigest,
  type TagView,
} from '../../core/diagnose/index.js';
import { type ImageRef, parseImageRef, tryParseImageRef } from '../../core/image-ref/index.js';
import { EXIT_CODES, isKubefreshError, KubefreshError, redact } from '../../errors/index.js';
import type { KubeObject } from '../../ports/kube.js';
import { addKubeFlags, connect } from '../cluster-flags.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { addRegistryFlags, type RegistryFlags } from '../registry-flags.js';
import type { Colors } from '../render/colors.js';

interface NodesFlags extends RegistryFlags {
  readonly namespace?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly requestTimeout: number;
  readonly resolve: string[];
  readonly output: 'text' | 'json';
  readonly registry: boolean;
}

/** A tag's view plus what the registry says it is now (when asked and reachable). */
interface TagReport extends TagView {
  readonly registryDigest: string | null;
  readonly registryError: string | null;
}

function renderText(reports: readonly TagReport[], c: Colors): string {
  const lines: string[] = [];
  for (const r of reports) {
    const registry =
      r.registryDigest !== null
        ? `registry: ${shortDigest(r.registryDigest)}`
        : `registry: ${r.registryError ?? 'not asked'}`;
    const state = r.diverged
      ? c.bold(c.red(`DIVERGED (${r.digests.length} digests)`))
      : r.digests.length === 1
        ? c.green('consistent')
        : c.dim('not cached');
    lines.push(`${c.bold(r.reference)}  ${registry}  ${state}`);
    const width = Math.max(4, ...r.rows.map((row) => row.node.length));
    lines.push(`  ${'NODE'.padEnd(width)}  ${'CACHED'.padEnd(22)}  RUNNING`);
    for (const row of r.rows) {
      const mark = (d: string) =>
        r.registryDigest === null ? '' : d === r.registryDigest ? ` ${c.green('✓')}` : ` ${c.red('✗')}`;
      const cached =
        row.cached.length > 0
          ? row.cached.map((d) => `${shortDigest(d)}${mark(d)}`).join(', ')
          : row.capped
            ? c.yellow('- (50-image cap: absence not proven)')
            : '-';
      const running =
        row.pods.map((p) => `${p.namespace}/${p.pod} ${shortDigest(p.digest)}`).join(', ') || '-';
      lines.push(`  ${row.node.padEnd(width)}  ${cached.padEnd(22)}  ${running}`);
    }
  }
  if (reports.length === 0) lines.push('no node caches or runs this image');
  return `${redact(lines.join('\n'))}\n`;
}

/** `kubefresh nodes [IMAGE]`: which node caches which digest of a tag, and which pods run what where. */
export function nodesCommand(context: CommandContext): Command {
  const command = new Command('nodes')
    .description(
      'which node caches which digest of an image tag (node.status.images), and which pods run what where',
    )
    .argument(
      '[image]',
      'a repository (every tag) or a tag, e.g. registry.local:5000/app or registry.local:5000/app:latest',
    )
    .option('-n, --namespace <namespace>', 'only pods of this namespace (default: all namespaces)')
    .option('--no-registry', 'do not ask the registry what the tag points to now')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
    );
  addKubeFlags(command);
  addRegistryFlags(command);
  command
    .addHelpText(
      'after',
      `
Reads node.status.images, the kubelet's report of each node's image cache: a delayed, lossy hint
(largest images first, at most 50 per node, 5 names each). A node at the 50-image cap may hold the
tag without listing it; that is shown. Without IMAGE, every tag the pods use is shown. Divergence
(one tag, several digests across nodes) is what makes IfNotPresent pods run different code.
${examples([
  ['Which node has which digest of app:latest', 'kubefresh nodes registry.local:5000/app:latest'],
  [
    'Every tag of a repository, without asking the registry',
    'kubefresh nodes registry.local:5000/app --no-registry',
  ],
])}`,
    )
    .action(async (image: string | undefined, flags: NodesFlags, self: Command) => {
      let filter: ImageRef | undefined;
      if (image !== undefined) {
        try {
          filter = parseImageRef(image);
        } catch (error) {
          if (!isKubefreshError(error)) throw error;
          throw new KubefreshError('USAGE_INVALID_REFERENCE', error.message, {
            ...(error.hint === undefined ? {} : { hint: error.hint }),
          });
        }
      }
      const deps = await connect(flags, context);
      const [nodes, pods] = await Promise.all([
        deps.kube.list<NodeObject & KubeObject>('nodes'),
        deps.kube.list<PodObject & KubeObject>(
          'pods',
          flags.namespace === undefined ? {} : { namespace: flags.namespace },
        ),
      ]);
      const filters: ImageRef[] = [];
      if (filter !== undefined) filters.push(filter);
      else {
        const seen = new Set<string>();
        for (const pod of pods.items) {
          for (const c of pod.spec?.containers ?? []) {
            const ref = c.image === undefined ? undefined : tryParseImageRef(c.image);
            if (ref === undefined || ref.digest !== undefined || seen.has(ref.qualified())) continue;
            seen.add(ref.qualified());
            filters.push(parseImageRef(ref.qualified()));
          }
        }
      }
      const views = new Map<string, TagView>();
      for (const f of filters)
        for (const view of nodeImages(f, nodes.items, pods.items)) views.set(view.reference, view);
      const reports: TagReport[] = await Promise.all(
        [...views.values()]
          .sort((a, b) => a.reference.localeCompare(b.reference))
          .map(async (view) => {
            if (!flags.registry) return { ...view, registryDigest: null, registryError: null };
            try {
              const resolved = await deps.registry.resolve(parseImageRef(view.reference));
              return { ...view, registryDigest: resolved.digest, registryError: null };
            } catch (error) {
              return {
                ...view,
                registryDigest: null,
                registryError: isKubefreshError(error) ? error.code : String(error),
              };
            }
          }),
      );
      if (flags.output === 'json')
        context.io.stdout.write(
          `${redact(JSON.stringify({ schemaVersion: 1, kind: 'kubefresh.nodes', tags: reports }, null, 2))}\n`,
        );
      else context.io.stdout.write(renderText(reports, context.colors(self)));
      context.setExitCode(EXIT_CODES.OK);
    });
  return command;
}
