import { Command, Option } from 'commander';
import { type ImageRef, isLoopbackRegistry, parseImageRef } from '../../core/image-ref/index.js';
import { type DefaultPullPolicyReason, explainDefaultPullPolicy } from '../../core/pull-policy/index.js';
import { EXIT_CODES, isKubefreshError, type KubefreshError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import type { Colors } from '../render/colors.js';
import { renderError } from '../render/error.js';

type OutputFormat = 'text' | 'json';

/** One image reference as `kubefresh ref -o json` prints it; field names are a stable interface. */
export interface RefReport {
  readonly input: string;
  readonly registry?: string;
  readonly apiHost?: string;
  readonly repository?: string;
  readonly tag?: string | null;
  readonly effectiveTag?: string | null;
  readonly digest?: string | null;
  readonly qualified?: string;
  readonly familiar?: string;
  readonly loopback?: boolean;
  readonly defaultPullPolicy: 'Always' | 'IfNotPresent';
  /** `no-tag`, `latest-tag`, `other-tag`, `digest-only` or `unparsable`. */
  readonly defaultPullPolicyReason: DefaultPullPolicyReason;
  readonly defaultPullPolicyExplanation: string;
  readonly error?: {
    readonly code: string;
    readonly message: string;
    readonly reason: string;
    readonly hint?: string;
  };
}

export function refCommand(context: CommandContext): Command {
  return new Command('ref')
    .description(
      'show how Kubernetes reads image references: registry, repository, tag, digest, default pull policy',
    )
    .argument('<image...>', 'image references, as written in a manifest')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Parsing follows distribution/reference, the code the kubelet and containerd use, and errors use the
words the kubelet prints in InvalidImageName events. With -q only the fully qualified names print.

Exit codes: 0 when every reference is valid; 2 when any is invalid (the valid ones still print, and
each invalid one is reported on stderr; with -o json it is an entry with an "error" object).
${examples([
  ['What Kubernetes makes of a short name', 'kubefresh ref nginx'],
  ['Several at once, as JSON', 'kubefresh ref -o json nginx:1.27 ghcr.io/org/app@sha256:<64 hex>'],
  ['Why a Pod reports InvalidImageName', 'kubefresh ref MyApp:v1'],
  ['Fully qualified names only, for scripts', 'kubefresh ref -q redis bitnami/redis:7'],
])}`,
    )
    .action((images: string[], options: { output: OutputFormat }, command: Command) => {
      const reports = images.map(reportFor);
      const globals = context.globals(command);
      const { stdout, stderr } = context.io;
      if (options.output === 'json') {
        stdout.write(
          `${JSON.stringify(
            reports.map(({ report }) => report),
            null,
            2,
          )}\n`,
        );
      } else if (globals.quiet) {
        for (const { report } of reports) if (report.qualified) stdout.write(`${report.qualified}\n`);
      } else {
        const blocks = reports.flatMap(({ ref, report }) =>
          ref ? [textBlock(ref, report, context.colors(command))] : [],
        );
        if (blocks.length > 0) stdout.write(`${blocks.join('\n')}`);
      }
      const invalid = reports.filter((r) => r.error !== undefined);
      for (const { error } of invalid) stderr.write(renderError(error, { verbose: globals.verbose }).text);
      if (invalid.length > 0) {
        if (images.length > 1) {
          stderr.write(`error: ${invalid.length} of ${images.length} image references are invalid\n`);
        }
        context.setExitCode(EXIT_CODES.USAGE);
      }
    });
}

interface Parsed {
  readonly ref?: ImageRef;
  readonly error?: KubefreshError;
  readonly report: RefReport;
}

function reportFor(input: string): Parsed {
  const policy = explainDefaultPullPolicy(input);
  const pull = {
    defaultPullPolicy: policy.policy,
    defaultPullPolicyReason: policy.reason,
    defaultPullPolicyExplanation: policy.because,
  };
  let ref: ImageRef;
  try {
    ref = parseImageRef(input);
  } catch (err) {
    if (!isKubefreshError(err)) throw err;
    const reason = String(err.details?.reason ?? err.message);
    const error = { code: err.code, message: err.message, reason, ...(err.hint ? { hint: err.hint } : {}) };
    return { error: err, report: { input, error, ...pull } };
  }
  return {
    ref,
    report: {
      input,
      registry: ref.registry,
      apiHost: ref.apiHost(),
      repository: ref.repository,
      tag: ref.tag ?? null,
      effectiveTag: ref.effectiveTag() ?? null,
      digest: ref.digest ?? null,
      qualified: ref.qualified(),
      familiar: ref.familiar(),
      loopback: isLoopbackRegistry(ref),
      ...pull,
    },
  };
}

function textBlock(ref: ImageRef, report: RefReport, c: Colors): string {
  const tag =
    ref.tag ?? (ref.digest === undefined ? `${ref.effectiveTag()} ${c.dim('(default)')}` : c.dim('(none)'));
  const rows: Array<[string, string]> = [
    ['registry', ref.registry],
    ['api host', ref.apiHost()],
    ['repository', ref.repository],
    ['tag', tag],
    ['digest', ref.digest ?? c.dim('(none)')],
    ['qualified', ref.qualified()],
    ['familiar', ref.familiar()],
    [
      'pull policy',
      `${report.defaultPullPolicy} ${c.dim(`(API default when unset: ${report.defaultPullPolicyExplanation})`)}`,
    ],
  ];
  if (report.loopback) {
    rows.push([
      'note',
      c.yellow('loopback registry: each node resolves it to itself, so it never reaches this machine'),
    ]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const body = rows.map(([label, value]) => `  ${c.dim(label.padEnd(width))}${value}`).join('\n');
  return `${c.bold(ref.original)}\n${body}\n`;
}
