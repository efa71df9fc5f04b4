import { Command, Option } from 'commander';
import { meetsThreshold, type Severity } from '../../core/findings/index.js';
import { EXIT_CODES, redact } from '../../errors/index.js';
import type { DoctorReport, DoctorScope } from '../../pipeline/doctor/index.js';
import { parseTarget } from '../../pipeline/doctor/index.js';
import { VERSION } from '../../version.js';
import { addKubeFlags, connect, type KubeFlags } from '../cluster-flags.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { addRegistryFlags, type RegistryFlags } from '../registry-flags.js';
import { renderDoctorText } from '../render/doctor-text.js';
import { writeData } from '../render/terminal-sink.js';

/** The version of `doctor -o json` (docs/doctor-json.md). Raised only for breaking changes. */
export const DOCTOR_JSON_SCHEMA_VERSION = 1;

interface DoctorFlags extends RegistryFlags, KubeFlags {
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly selector?: string;
  readonly usePullSecrets?: boolean;
  readonly output: 'text' | 'wide' | 'json';
  readonly failOn: Severity | 'none';
}

export function renderDoctorJson(report: DoctorReport, context: string): string {
  const counts: Record<string, number> = {
    ok: 0,
    stale: 0,
    failing: 0,
    unverified: 0,
    risk: 0,
    progressing: 0,
  };
  for (const w of report.workloads) counts[w.verdict] = (counts[w.verdict] ?? 0) + 1;
  const severities = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) severities[f.severity]++;
  const document = {
    schemaVersion: DOCTOR_JSON_SCHEMA_VERSION,
    kind: 'kubefresh.doctor',
    tool: { name: 'kubefresh', version: VERSION },
    context,
    summary: {
      text: report.summary,
      workloads: report.workloads.length,
      verdicts: counts,
      findings: severities,
    },
    workloads: report.workloads.map((w) => ({
      kind: w.kind,
      ...(w.namespace === undefined ? {} : { namespace: w.namespace }),
      name: w.name,
      verdict: w.verdict,
      codes: w.findings.map((f) => f.code),
    })),
    findings: report.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      subject: f.subject,
      evidence: f.evidence,
      remedy: f.remedy,
    })),
    hints: report.hints,
  };
  return `${redact(JSON.stringify(document, null, 2))}\n`;
}

/** Validated options of `kubefresh doctor`. */
export interface DoctorCliOptions {
  readonly scope: DoctorScope;
  readonly flags: DoctorFlags;
}

function complete(target: string | undefined, flags: DoctorFlags): DoctorScope {
  const namespace = flags.namespace;
  return {
    namespace: namespace ?? '',
    ...(flags.allNamespaces ? { allNamespaces: true } : {}),
    ...(flags.selector === undefined ? {} : { labelSelector: flags.selector }),
    ...(target === undefined ? {} : { target: parseTarget(target) }),
  };
}

/** `kubefresh doctor [TYPE/NAME]`: what runs versus what was deployed, per container, with fixes. */
export function doctorCommand(context: CommandContext): Command {
  const command = new Command('doctor')
    .description(
      'check that every pod runs what its spec names: registry digest, pod digests, node caches, pull and crash triage',
    )
    .argument('[workload]', 'one workload: deployment/NAME, statefulset/NAME, daemonset/NAME or pod/NAME')
    .option('-n, --namespace <namespace>', 'the namespace (default: the context namespace)')
    .option('-A, --all-namespaces', 'every namespace')
    .option('-l, --selector <selector>', 'only workloads with these labels (e.g. app=web,tier!=db)')
    .option(
      '--use-pull-secrets',
      "also use the pods' imagePullSecrets (and service accounts') for registry lookups",
    )
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['text', 'wide', 'json']).default('text'),
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe')
        .choices(['error', 'warning', 'info', 'none'])
        .default('error'),
    );
  addKubeFlags(command);
  addRegistryFlags(command);
  command
    .addHelpText(
      'after',
      `
Per container: the spec's image, the digest the registry serves for it now, the digest each pod
really runs (status.containerStatuses[].imageID) and what each node caches, joined into one verdict
with a stable code (docs/doctor-codes.md) and the exact command that fixes it. Pods that do not run
are triaged: pull errors by cause, missing ConfigMaps/Secrets, crash loops with the previous log,
OOM kills, unschedulable pods, stuck rollouts. Registry trouble never reads as OK: it is
UNVERIFIABLE. Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage, 3 cluster error.
${examples([
  ['Every workload in the current namespace', 'kubefresh doctor'],
  ['One deployment, with each pod, node and digest', 'kubefresh doctor deployment/web -o wide'],
  [
    'The whole cluster as JSON for CI, failing on warnings too',
    'kubefresh doctor -A -o json --fail-on warning',
  ],
  ["Private registry: read the pods' pull secrets", 'kubefresh doctor -n shop --use-pull-secrets'],
])}`,
    )
    .action(async (target: string | undefined, flags: DoctorFlags, self: Command) => {
      const scope = complete(target, flags);
      const { runDoctor } = await import('../../pipeline/doctor/index.js');
      const deps = await connect(flags, context);
      const report = await runDoctor(
        { kube: deps.kube, registry: deps.registry, registryWithLogins: deps.registryWithLogins },
        {
          scope: { ...scope, namespace: scope.namespace || deps.kube.defaultNamespace },
          usePullSecrets: flags.usePullSecrets === true,
        },
      );
      const { io } = context;
      if (flags.output === 'json') writeData(io.stdout, renderDoctorJson(report, deps.kube.context));
      else
        io.stdout.write(
          renderDoctorText(report, context.colors(self), { wide: flags.output === 'wide', now: Date.now() }),
        );
      if (context.globals(self).verbose) {
        io.stderr.write(
          `requests: ${deps.apiRequests.count} to the API server, ${deps.registryRequests.count} to registries\n`,
        );
      }
      const failing = report.findings.some((f) => meetsThreshold(f.severity, flags.failOn));
      context.setExitCode(failing ? EXIT_CODES.FINDINGS : EXIT_CODES.OK);
    });
  return command;
}
