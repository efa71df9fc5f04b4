import { Command, InvalidArgumentError, Option } from 'commander';
import { loadLintConfig, readInputs } from '../../adapters/fs/index.js';
import { type Finding, meetsThreshold } from '../../core/findings/index.js';
import {
  DEFAULT_SEVERITIES,
  type FailOn,
  type LintConfig,
  Linter,
  RULES,
  resolveLintConfig,
} from '../../core/lint/index.js';
import { EXIT_CODES, type KubefreshError } from '../../errors/index.js';
import { VERSION } from '../../version.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { renderError } from '../render/error.js';
import { renderFindingsJson } from '../render/findings-json.js';
import { renderSarif } from '../render/findings-sarif.js';
import { renderFindingsText, severitySummary } from '../render/findings-text.js';
import { writeData } from '../render/terminal-sink.js';
import { parseMiB } from '../size-flag.js';

/** What `kubefresh lint` was asked to do, after flags are parsed. */
interface LintOptions {
  readonly output: 'text' | 'json' | 'sarif';
  readonly failOn?: FailOn;
  readonly requireDigest?: boolean;
  readonly allowedRegistries?: string[];
  readonly movingTags?: string[];
  /** A path, `false` for --no-config, or `true` (commander's default when --no-config exists). */
  readonly config?: string | boolean;
  readonly maxFileSize?: number;
}

export function lintCommand(context: CommandContext): Command {
  return new Command('lint')
    .description(
      'Check Kubernetes manifests for image risks: latest and moving tags, the IfNotPresent stale-image trap, missing digests, loopback registries, invalid references.',
    )
    .argument('<paths...>', 'manifest files, directories (searched for .yaml, .yml, .json) or - for stdin')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'),
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding is at or above this severity (default: error)',
      ).choices(['error', 'warning', 'info', 'none']),
    )
    .option('--require-digest', 'make IMG005 (image not pinned by digest) an error')
    .option(
      '--allowed-registries <list>',
      'comma-separated registries (or registry/path prefixes) images may come from (IMG010)',
      collectList,
    )
    .option(
      '--moving-tags <list>',
      'comma-separated tags to treat as moving, besides the built-in list',
      collectList,
    )
    .option('--config <file>', 'configuration file (default: the nearest .kubefresh.yaml)')
    .option('--no-config', 'ignore .kubefresh.yaml')
    .option('--max-file-size <MiB>', 'skip (and report) inputs larger than this (default: 16)', parseMiB)
    .addHelpText(
      'after',
      `
Rules (docs/rules.md has the why and the fix for each):
${RULES.map((r) => `  ${r.id.padEnd(7)}  ${r.defaultSeverity.padEnd(7)}  ${r.title}`).join('\n')}

Suppress rules for one object with the annotation  kubefresh.io/ignore: "IMG001,IMG005"

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or configuration error,
3 an input could not be read.
${examples([
  ['Lint a folder of manifests', 'kubefresh lint k8s/'],
  ['Lint what Helm renders, from stdin', 'helm template my-release ./chart | kubefresh lint -'],
  [
    'Lint Kustomize output, failing on warnings too',
    'kustomize build overlays/prod | kubefresh lint --fail-on warning -',
  ],
  [
    'SARIF for GitHub code scanning (upload with github/codeql-action/upload-sarif)',
    'kubefresh lint -o sarif k8s/ > kubefresh.sarif',
  ],
  [
    'Require digests and allow only your registries',
    'kubefresh lint --require-digest --allowed-registries ghcr.io/acme,registry.example.com k8s/',
  ],
  [
    'Machine-readable findings (schema: docs/lint-json.md)',
    'kubefresh lint -o json k8s/ | jq \'.findings[] | select(.code == "IMG003")\'',
  ],
])}`,
    )
    .action(async (paths: string[], options: LintOptions, command: Command) => {
      context.setExitCode(await runLint(context, command, paths, options));
    });
}

function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new InvalidArgumentError(`expected a comma-separated list, got "${value}"`);
  return [...(previous ?? []), ...items];
}

async function runLint(
  context: CommandContext,
  command: Command,
  paths: string[],
  options: LintOptions,
): Promise<number> {
  const { io } = context;
  const explicitConfig = typeof options.config === 'string' ? options.config : undefined;
  const loaded = options.config === false ? undefined : await loadLintConfig(io.cwd, explicitConfig);
  const flags: LintConfig = {
    ...(options.failOn ? { failOn: options.failOn } : {}),
    ...(options.requireDigest ? { requireDigest: true } : {}),
    ...(options.allowedRegistries ? { allowedRegistries: options.allowedRegistries } : {}),
    ...(options.movingTags ? { extraMovingTags: options.movingTags } : {}),
  };
  const config = resolveLintConfig(DEFAULT_SEVERITIES, loaded?.config, flags);
  const linter = new Linter(config);
  const findings: Finding[] = [];
  const errors: KubefreshError[] = [];
  const inputs = readInputs(paths, {
    cwd: io.cwd,
    stdin: io.stdin,
    ...(options.maxFileSize ? { maxFileSize: options.maxFileSize } : {}),
  });
  const order = new Map<string, number>();
  for await (const input of inputs) {
    order.set(input.file, order.size);
    if (input.kind === 'text') {
      // A loop, not push(...): spreading 100,000 findings overflows the call stack.
      for (const finding of linter.lintText(input.file, input.text)) findings.push(finding);
    } else if (input.kind === 'skipped') {
      const id = input.reason === 'binary' ? 'FILE001' : input.reason === 'not-utf8' ? 'FILE002' : 'FILE003';
      const finding = linter.inputFinding(input.file, id, input.message, { size: input.size });
      if (finding) findings.push(finding);
    } else {
      errors.push(input.error);
    }
  }
  for (const finding of linter.finish()) findings.push(finding);
  // Cross-input findings join the others: inputs in the order they were read, then by position.
  findings.sort(
    (a, b) =>
      (order.get(a.location?.file ?? '') ?? 0) - (order.get(b.location?.file ?? '') ?? 0) ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0),
  );

  const { verbose, quiet } = context.globals(command);
  if (options.output === 'json') {
    writeData(
      io.stdout,
      renderFindingsJson({
        kind: 'kubefresh.lint',
        version: VERSION,
        findings,
        summary: { ...linter.stats, failOn: config.failOn, config: loaded?.file ?? null },
        errors: errors.map((e) => ({
          code: e.code,
          message: e.message,
          ...(e.hint ? { hint: e.hint } : {}),
          ...(typeof e.details?.file === 'string' ? { file: e.details.file } : {}),
        })),
      }),
    );
  } else if (options.output === 'sarif') {
    writeData(
      io.stdout,
      renderSarif(findings, {
        rules: RULES.map((r) => ({
          id: r.id,
          name: r.name,
          shortDescription: r.title,
          fullDescription: r.why,
          help: r.fix,
          defaultLevel: r.defaultSeverity,
        })),
        toolName: 'kubefresh',
        version: VERSION,
        baseDir: io.cwd,
        notifications: errors.map((e) => ({
          message: e.message,
          ...(typeof e.details?.file === 'string' ? { file: e.details.file } : {}),
        })),
      }),
    );
  } else {
    const colors = context.colors(command);
    io.stdout.write(renderFindingsText(findings, colors));
    if (!quiet) {
      const { files, documents, containers } = linter.stats;
      const counts = `${files} file${files === 1 ? '' : 's'}, ${documents} document${documents === 1 ? '' : 's'}, ${containers} container${containers === 1 ? '' : 's'}`;
      const using = loaded === undefined ? '' : `, config ${loaded.file}`;
      io.stdout.write(
        `${findings.length === 0 ? colors.green('no findings') : severitySummary(findings)} (${counts}${using})\n`,
      );
    }
  }
  for (const error of errors) io.stderr.write(renderError(error, { verbose }).text);
  if (errors.length > 0) return EXIT_CODES.RUNTIME;
  return findings.some((f) => meetsThreshold(f.severity, config.failOn))
    ? EXIT_CODES.FINDINGS
    : EXIT_CODES.OK;
}
