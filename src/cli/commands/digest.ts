import { Command, Option } from 'commander';
import type { RegistryClientOptions } from '../../adapters/registry/index.js';
import { type ImageRef, parseImageRef } from '../../core/image-ref/index.js';
import { type Platform, parsePlatform } from '../../core/oci/index.js';
import { EXIT_CODES, isKubefreshError, KubefreshError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { addRegistryFlags, type RegistryFlags, registryClientOptions } from '../registry-flags.js';
import { renderError } from '../render/error.js';
import { writeData } from '../render/terminal-sink.js';

interface DigestFlags extends RegistryFlags {
  readonly platform?: string;
  readonly output: string;
}

/** Validated options of `kubefresh digest`. */
export interface DigestOptions {
  readonly refs: readonly ImageRef[];
  readonly platform: Platform | undefined;
  readonly output: 'text' | 'json';
  readonly registry: RegistryClientOptions;
}

async function complete(
  args: readonly string[],
  flags: DigestFlags,
  context: CommandContext,
): Promise<DigestOptions> {
  const refs = args.map((text) => {
    try {
      return parseImageRef(text);
    } catch (err) {
      if (!isKubefreshError(err)) throw err;
      throw new KubefreshError('USAGE_INVALID_REFERENCE', err.message, {
        ...(err.hint === undefined ? {} : { hint: err.hint }),
        cause: err,
      });
    }
  });
  return {
    refs,
    platform: flags.platform === undefined ? undefined : parsePlatform(flags.platform),
    output: flags.output === 'json' ? 'json' : 'text',
    registry: await registryClientOptions(flags, context.io),
  };
}

/** `kubefresh digest REF…`: what each reference resolves to at the registry right now. */
export function digestCommand(context: CommandContext): Command {
  const command = new Command('digest')
    .description('print the digest each image reference resolves to now (like crane digest)')
    .argument('<ref...>', 'image references, e.g. nginx:1.25 or registry.example.com/team/app:v1')
    .option(
      '--platform <os/arch[/variant]>',
      "also print the platform's image digest inside a multi-platform index",
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Resolves with HEAD requests (not counted by Docker Hub's pull limit); GETs happen only for
--platform and -o json. Credentials come from $DOCKER_CONFIG/config.json or ~/.docker/config.json.
localhost and 127.0.0.1 registries may use plain HTTP. -o json prints an array, one object per
reference: media type, index digest and platform digests, and the config digest of the --platform
image or of a single-platform image (one GET more; not per platform, to spare pull quotas).
Exit code 0 when every reference resolved, 2 for bad arguments, 3 if any failed.
${examples([
  ['The digest nginx:1.27 points at now (the multi-platform index)', 'kubefresh digest nginx:1.27'],
  ['Also the linux/arm64 image inside it', 'kubefresh digest --platform linux/arm64 nginx:1.27'],
  [
    'Several images, with media types, platform digests and config digest',
    'kubefresh digest -o json nginx:1.27 redis:7',
  ],
  [
    'A private registry with its own CA',
    'kubefresh digest --registry-ca ca.pem registry.internal:5000/team/app:v1',
  ],
  [
    'A plain-HTTP registry on the network',
    'kubefresh digest --insecure-registry 10.0.0.5:5000 10.0.0.5:5000/app:dev',
  ],
])}`,
    )
    .action(async (args: string[], flags: DigestFlags, self: Command) => {
      const options = await complete(args, flags, context);
      context.setExitCode(await runDigest(options, context, context.globals(self).verbose));
    });
  return addRegistryFlags(command);
}

/** Resolves every reference concurrently, prints in argument order, and returns the exit code. */
export async function runDigest(
  options: DigestOptions,
  context: CommandContext,
  verbose: boolean,
): Promise<number> {
  const { io } = context;
  // Loaded on use so that other verbs do not pay for the HTTP stack.
  const { RegistryClient, describeImage } = await import('../../adapters/registry/index.js');
  const counts = new Map<string, number>();
  const client = new RegistryClient({
    ...options.registry,
    onRequest: ({ method, status }) => {
      // Count answered exchanges; a TLS probe a plain-HTTP registry refuses is not a request it saw.
      if (status !== undefined) counts.set(method, (counts.get(method) ?? 0) + 1);
    },
  });
  const detail = options.output === 'json';
  const results = await Promise.allSettled(
    options.refs.map((ref) =>
      describeImage(client, ref, { detail, ...(options.platform ? { platform: options.platform } : {}) }),
    ),
  );
  await client.close();

  let failed = false;
  const json: unknown[] = [];
  const lines: string[] = [];
  const columns = options.refs.length > 1;
  results.forEach((result, i) => {
    const ref = options.refs[i]!;
    if (result.status === 'rejected') {
      failed = true;
      const err = result.reason;
      io.stderr.write(renderError(err, { verbose }).text.replace(/^error: /, `error: ${ref.original}: `));
      if (detail)
        json.push({
          reference: ref.original,
          error: isKubefreshError(err) ? err.toJSON() : { message: String(err) },
        });
      return;
    }
    const d = result.value;
    if (detail) {
      json.push(d);
      return;
    }
    lines.push(columns ? `${ref.original}  ${d.digest}` : d.digest);
    if (options.platform && d.image) {
      lines.push(
        `${columns ? `${ref.original}  ` : ''}${d.image.digest}  ${d.image.platform ?? ''}`.trimEnd(),
      );
    }
  });
  if (detail) writeData(io.stdout, `${JSON.stringify(json, null, 2)}\n`);
  else if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
  if (verbose) {
    const summary = [...counts].map(([method, n]) => `${method} ${n}`).join(', ');
    io.stderr.write(`requests: ${summary || 'none'}\n`);
    const limits = client.rateLimits();
    if (limits.length === 0) io.stderr.write('rate limit: no RateLimit headers (not limited)\n');
    for (const limit of limits) {
      io.stderr.write(
        `rate limit: ${limit.registry} limit ${limit.limit ?? '?'}, remaining ${limit.remaining ?? '?'}${limit.source ? ` (source ${limit.source})` : ''}\n`,
      );
    }
  }
  return failed ? EXIT_CODES.RUNTIME : EXIT_CODES.OK;
}
