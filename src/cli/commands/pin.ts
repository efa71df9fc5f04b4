import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.js';
import { readCapped, readInputs, refusalToRewrite, STDIN_NAME } from '../../adapters/fs/index.js';
import { formatLock, type ImageLock, parseLock } from '../../core/lock/index.js';
import { shellCommand } from '../../core/shell/index.js';
import { EXIT_CODES, isKubefreshError, KubefreshError, redact } from '../../errors/index.js';
import {
  type CheckResult,
  checkPinned,
  type PinFailure,
  type PinInput,
  type PinResult,
  pinManifests,
} from '../../pipeline/pin/index.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import type { CliIO } from '../io.js';
import { addRegistryFlags, type RegistryFlags, registryClientOptions } from '../registry-flags.js';
import type { Colors } from '../render/colors.js';
import { renderError } from '../render/error.js';
import { writeData } from '../render/terminal-sink.js';
import { parseMiB } from '../size-flag.js';

/** What `kubefresh pin` was asked to do, after flags are parsed. */
interface PinFlags extends RegistryFlags {
  readonly write?: boolean;
  readonly check?: boolean;
  readonly output: 'text' | 'json';
  readonly lock?: string;
  readonly fromLock?: string;
  readonly refresh?: boolean;
  readonly keepGoing?: boolean;
  readonly maxFileSize?: number;
}

export function pinCommand(context: CommandContext): Command {
  const command = new Command('pin')
    .description(
      'Pin every container image in manifests to its digest (repo:tag → repo:tag@sha256:…), keeping comments and formatting.',
    )
    .argument('<paths...>', 'manifest files, directories (searched for .yaml, .yml, .json) or - for stdin')
    .option('-w, --write', 'rewrite the files in place (atomically) instead of printing to stdout')
    .option('--check', 'change nothing; list images not pinned to a digest and exit 1 if there are any')
    .addOption(
      new Option('-o, --output <format>', 'report format for --check and --write')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--lock <file>', 'record what each tag resolved to (digest, media type, time) in this lock file')
    .option('--from-lock <file>', 'pin from a lock file instead of asking registries (offline)')
    .option('--refresh', 'resolve tags again even where a digest is already written, and update it')
    .option('--keep-going', 'pin the images that resolve even when others fail (default: change nothing)')
    .option('--max-file-size <MiB>', 'skip (and report) inputs larger than this (default: 16)', parseMiB);
  addRegistryFlags(command);
  return command
    .addHelpText(
      'after',
      `
The digest is that of what the tag names now (for a multi-platform image, the index, so every node
architecture keeps working), looked up with HEAD requests, which Docker Hub does not count against
pull limits. The tag stays in the text for people; the kubelet pulls the digest. Images that already
carry a digest are checked to exist, not re-resolved (--refresh re-resolves their tags).

Only the image values change: comments, quoting, anchors, flow style, key order, blank lines and
CRLF line endings stay byte for byte, and input with nothing to pin comes out identical. Several
inputs printed to stdout are separated by '---'.

If any image cannot be resolved, each failure is reported with file:line:column and the registry's
answer (not found, unauthorized, denied, rate limited, unreachable, tls, protocol) and nothing is
written, unless --keep-going.

Exit codes: 0 done (--check: everything pinned), 1 --check found unpinned images, 2 usage error,
3 an input, the lock file or an image could not be read or resolved.
${examples([
  ['Print a pinned copy of a manifest', 'kubefresh pin deploy.yaml > deploy.pinned.yaml'],
  ['Pin a folder of manifests in place', 'kubefresh pin -w k8s/'],
  ['Pin what Helm renders', 'helm template my-release ./chart | kubefresh pin - | kubectl apply -f -'],
  ['Fail CI when an image is not pinned', 'kubefresh pin --check k8s/'],
  [
    'Record the digests, then pin offline from them',
    'kubefresh pin --lock images.lock.json k8s/ >/dev/null\n  kubefresh pin --from-lock images.lock.json -w k8s/',
  ],
  ['Move pinned digests to what the tags name now', 'kubefresh pin --refresh -w k8s/'],
  ['A private registry with its own CA', 'kubefresh pin --registry-ca ca.pem -w k8s/'],
])}`,
    )
    .action(async (paths: string[], flags: PinFlags, cmd: Command) => {
      validate(paths, flags);
      const globals = context.globals(cmd);
      const { io } = context;
      const { inputs, skipped } = await readAll(paths, io, flags, globals.quiet);
      if (flags.check) {
        const result = checkPinned(inputs);
        reportCheck(result, skipped, paths, flags, io, context.colors(cmd));
        // A file that could not be read cannot pass the check (a CI gate must not be bypassed).
        context.setExitCode(
          result.failures.length > 0 || skipped > 0
            ? EXIT_CODES.RUNTIME
            : result.unpinned.length > 0
              ? EXIT_CODES.FINDINGS
              : EXIT_CODES.OK,
        );
        return;
      }
      const result = await pin(inputs, flags, io);
      const failed = result.failures.length > 0;
      for (const failure of result.failures) io.stderr.write(renderFailure(failure, globals.verbose));
      if (failed && !flags.keepGoing) {
        io.stderr.write(
          `error: ${countImages(result)}; nothing was written (--keep-going pins the images that resolve)\n`,
        );
        if (flags.output === 'json' && flags.write) writeData(io.stdout, jsonReport(result, false));
        context.setExitCode(EXIT_CODES.RUNTIME);
        return;
      }
      const boms = new Set(inputs.filter((i) => i.bom).map((i) => i.source));
      if (flags.write) {
        const written = await writeAll(result.files, boms, paths, io);
        if (written.error !== undefined) {
          // Part-way (a full disk): say exactly what changed, and write no lock that would disagree.
          io.stderr.write(renderError(written.error, { verbose: globals.verbose }).text);
          io.stderr.write(
            `rewritten: ${written.done.length === 0 ? 'none' : written.done.join(', ')}; not written: ${written.left.join(', ')}${flags.lock === undefined ? '' : `; ${flags.lock} was not written`}\n`,
          );
          context.setExitCode(EXIT_CODES.RUNTIME);
          return;
        }
        if (written.skipped > 0) context.setExitCode(EXIT_CODES.RUNTIME);
      } else {
        writeData(
          io.stdout,
          concatenate(result.files.map((f) => (boms.has(f.source) ? UTF8_BOM + f.text : f.text))),
        );
      }
      if (flags.lock !== undefined)
        await writeFileAtomic(resolve(io.cwd, flags.lock), formatLock(result.lock));
      if (flags.output === 'json' && flags.write) writeData(io.stdout, jsonReport(result, true));
      else if (flags.write ? !globals.quiet : globals.verbose) io.stderr.write(summary(result, flags));
      if (failed) {
        io.stderr.write(`error: ${countImages(result)}; the others were pinned\n`);
        context.setExitCode(EXIT_CODES.RUNTIME);
      }
    });
}

function usage(message: string, hint: string): KubefreshError {
  return new KubefreshError('USAGE_INVALID_FLAGS', message, { hint });
}

function validate(paths: readonly string[], flags: PinFlags): void {
  if (flags.write && paths.includes('-')) {
    throw usage('--write cannot rewrite stdin (-)', 'drop -w to print the pinned manifests to stdout');
  }
  if (flags.check) {
    for (const [set, name] of [
      [flags.write, '--write'],
      [flags.lock, '--lock'],
      [flags.fromLock, '--from-lock'],
      [flags.refresh, '--refresh'],
      [flags.keepGoing, '--keep-going'],
    ] as const) {
      if (set)
        throw usage(
          `--check changes nothing, so it cannot be combined with ${name}`,
          'run the check and the pin as two commands',
        );
    }
  }
  if (flags.lock !== undefined && flags.fromLock !== undefined) {
    throw usage(
      '--lock and --from-lock cannot be combined',
      '--lock records fresh lookups; --from-lock replays a recorded lock',
    );
  }
  if (flags.output === 'json' && !flags.check && !flags.write) {
    throw usage(
      '-o json needs --check or --write: without them stdout carries the pinned manifests',
      'add -w, or drop -o json',
    );
  }
}

async function readAll(
  paths: readonly string[],
  io: CliIO,
  flags: PinFlags,
  quiet: boolean,
): Promise<{ inputs: PinInput[]; skipped: number }> {
  const inputs: PinInput[] = [];
  const errors: KubefreshError[] = [];
  let skipped = 0;
  const options = {
    cwd: io.cwd,
    stdin: io.stdin,
    ...(flags.maxFileSize ? { maxFileSize: flags.maxFileSize } : {}),
  };
  for await (const item of readInputs(paths, options)) {
    if (item.kind === 'text')
      inputs.push({ source: item.file, text: item.text, ...(item.bom ? { bom: true } : {}) });
    else if (item.kind === 'error') errors.push(item.error);
    else {
      skipped++;
      // With --check it is an error: what cannot be read cannot be said to be pinned.
      const message = flags.check ? item.message : item.message.replace('not checked', 'not pinned');
      if (flags.check || !quiet) io.stderr.write(`${flags.check ? 'error' : 'warning'}: ${message}\n`);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    for (const error of errors.slice(0, -1)) io.stderr.write(renderError(error, { verbose: false }).text);
    throw errors[errors.length - 1];
  }
  return { inputs, skipped };
}

async function pin(inputs: readonly PinInput[], flags: PinFlags, io: CliIO): Promise<PinResult> {
  const base = { ...(flags.refresh ? { refresh: true } : {}) };
  if (flags.fromLock !== undefined) {
    const lock = await readLock(flags.fromLock, io);
    return pinManifests(inputs, { ...base, fromLock: lock });
  }
  const { RegistryClient } = await import('../../adapters/registry/index.js');
  const client = new RegistryClient(await registryClientOptions(flags, io));
  try {
    return await pinManifests(inputs, { ...base, registry: client });
  } finally {
    await client.close();
  }
}

async function readLock(path: string, io: CliIO): Promise<ImageLock> {
  let text: string;
  try {
    text = await readCapped(resolve(io.cwd, path), 'lock file');
  } catch (err) {
    if (isKubefreshError(err)) throw err;
    throw new KubefreshError(
      'IO_NOT_FOUND',
      `cannot read lock file "${path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      {
        hint: 'write one first with: kubefresh pin --lock FILE PATH…',
        cause: err,
      },
    );
  }
  return parseLock(text, path);
}

const UTF8_BOM = '\ufeff';

/** Writes a pinned file in place, keeping a byte-order mark the reader stripped. */
/**
 * Rewrites the changed files one by one, skipping (and saying why) any the user's paths do not
 * cover or that must not be replaced; stops at the first write that fails.
 */
async function writeAll(
  files: readonly { source: string; text: string; original: string }[],
  boms: ReadonlySet<string>,
  roots: readonly string[],
  io: CliIO,
): Promise<{ done: string[]; left: string[]; skipped: number; error?: KubefreshError }> {
  const changed = files.filter((f) => f.text !== f.original);
  const done: string[] = [];
  let skipped = 0;
  for (const [i, file] of changed.entries()) {
    const refusal = await refusalToRewrite(file.source, roots, io.cwd);
    if (refusal !== undefined) {
      skipped++;
      io.stderr.write(`skipped "${file.source}": ${refusal}; it was not pinned\n`);
      continue;
    }
    try {
      const text =
        boms.has(file.source) && !file.text.startsWith(UTF8_BOM) ? UTF8_BOM + file.text : file.text;
      await writeFileAtomic(resolve(io.cwd, file.source), text);
      done.push(file.source);
    } catch (error) {
      const left = changed.slice(i).map((f) => f.source);
      return {
        done,
        left,
        skipped,
        error: isKubefreshError(error) ? error : new KubefreshError('IO_WRITE_FAILED', String(error)),
      };
    }
  }
  return { done, left: [], skipped };
}

/** Several inputs on stdout form one YAML stream: each starts a new document. */
function concatenate(texts: readonly string[]): string {
  if (texts.length === 1) return texts[0]!;
  let out = '';
  for (const text of texts) {
    if (out !== '') {
      if (!out.endsWith('\n')) out += '\n';
      if (!/^---(?:[ \t\r\n]|$)/.test(text)) out += '---\n';
    }
    out += text;
  }
  return out;
}

function where(f: { source: string; line: number; column: number }): string {
  return `${f.source === STDIN_NAME ? '<stdin>' : f.source}:${f.line}:${f.column}`;
}

function renderFailure(failure: PinFailure, verbose: boolean): string {
  const what = failure.image === undefined ? '' : `image ${JSON.stringify(failure.image)}: `;
  const lines = [`error: ${where(failure)}: ${what}${failure.class}: ${failure.message}`];
  if (failure.hint) lines.push(`hint: ${failure.hint}`);
  if (verbose) lines.push(`code: ${failure.code}`);
  return `${redact(lines.join('\n'))}\n`;
}

function countImages(result: PinResult): string {
  const failedImages = result.failures.filter((f) => f.image !== undefined).length;
  const other = result.failures.length - failedImages;
  const parts: string[] = [];
  if (failedImages > 0) {
    parts.push(
      `${failedImages} of ${result.images.length} image${result.images.length === 1 ? '' : 's'} could not be pinned`,
    );
  }
  if (other > 0) parts.push(`${other} YAML problem${other === 1 ? '' : 's'}`);
  return parts.join(' and ');
}

function summary(result: PinResult, flags: PinFlags): string {
  const changes = result.files.reduce((n, f) => n + f.changes.length, 0);
  const files = result.files.filter((f) => f.changes.length > 0).length;
  const already = result.images.filter((i) => i.state !== 'unpinned').length;
  const verb = flags.write ? 'pinned' : 'would pin';
  const { resolved, verified } = result.lookups;
  const lookups =
    flags.fromLock === undefined
      ? `; ${plural(resolved, 'tag')} resolved, ${plural(verified, 'digest')} checked`
      : ' from the lock file';
  return `${verb} ${plural(changes, 'image')} in ${plural(files, 'file')} (${already} already pinned${lookups})\n`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function jsonReport(result: PinResult, written: boolean): string {
  return `${JSON.stringify(
    {
      written,
      changes: result.files.flatMap((f) => f.changes),
      failures: result.failures,
      images: result.images.length,
      lookups: result.lookups,
    },
    null,
    2,
  )}\n`;
}

function reportCheck(
  result: CheckResult,
  skipped: number,
  paths: readonly string[],
  flags: PinFlags,
  io: CliIO,
  c: Colors,
): void {
  if (flags.output === 'json') {
    writeData(
      io.stdout,
      `${JSON.stringify({ unpinned: result.unpinned, pinned: result.pinned, failures: result.failures, skipped }, null, 2)}\n`,
    );
    return;
  }
  for (const failure of result.failures) io.stderr.write(renderFailure(failure, false));
  for (const image of result.unpinned) {
    const container = image.container === undefined ? '' : `, container ${image.container}`;
    io.stdout.write(
      `${where(image)}: ${c.bold(image.image)} is not pinned to a digest ${c.dim(`(${image.workload}${container})`)}\n`,
    );
  }
  const total = result.unpinned.length + result.pinned;
  if (result.unpinned.length > 0) {
    const files = paths.filter((p) => p !== '-');
    const fix =
      files.length === paths.length
        ? shellCommand(['kubefresh', 'pin', '-w', ...files])
        : 'kubefresh pin - (on the same input)';
    io.stdout.write(
      `${result.unpinned.length} of ${total} image${total === 1 ? '' : 's'} not pinned; pin them with: ${fix}\n`,
    );
  } else if (skipped > 0) {
    io.stdout.write(
      `${total} image${total === 1 ? ' is' : 's are'} pinned, but ${skipped} input${skipped === 1 ? '' : 's'} could not be checked (see above)\n`,
    );
  } else if (result.failures.length === 0) {
    io.stdout.write(`all ${total} image${total === 1 ? ' is' : 's are'} pinned to digests\n`);
  }
}
