import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { readCapped } from '../adapters/fs/index.js';
import {
  ANONYMOUS,
  dockerConfigCredentials,
  dockerConfigDir,
  type RegistryClientOptions,
} from '../adapters/registry/index.js';
import { isKubefreshError, KubefreshError } from '../errors/index.js';
import { processAlive, readSimState, simStateDir } from '../sim/cluster/state.js';
import type { CliIO } from './io.js';

/**
 * The registry connection flags every verb that talks to registries shares (`digest`, `pin`, …):
 * defined once here so they read and behave the same everywhere.
 */
export interface RegistryFlags {
  /** `--insecure-registry HOST[:PORT]`, repeatable. */
  readonly insecureRegistry: string[];
  /** `--registry-ca FILE`. */
  readonly registryCa?: string;
  /** `--timeout DURATION`, in milliseconds. */
  readonly timeout: number;
  /** `--resolve HOST=ADDRESS`, repeatable. */
  readonly resolve: string[];
}

/** Default per-request timeout: long enough for a slow registry, short enough to notice a dead one. */
export const DEFAULT_REGISTRY_TIMEOUT = '30s';

/** Adds `--insecure-registry`, `--registry-ca`, `--timeout` and `--resolve` to `command`. */
export function addRegistryFlags(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--insecure-registry <host>',
        'reach this registry (host[:port]) over plain HTTP or unverified HTTPS; repeatable',
      )
        .argParser((value: string, previous: string[] = []) => [...previous, parseHost(value)])
        .default([], 'loopback registries only'),
    )
    .addOption(
      new Option('--registry-ca <file>', 'also trust this CA certificate (PEM) for HTTPS registries'),
    )
    .addOption(
      new Option('--timeout <duration>', 'time limit per registry request (e.g. 10s, 500ms, 2m)')
        .argParser(parseDuration)
        .default(parseDuration(DEFAULT_REGISTRY_TIMEOUT), DEFAULT_REGISTRY_TIMEOUT),
    )
    .addOption(
      new Option('--resolve <host=address>', 'reach this registry host name at this IP address; repeatable')
        .argParser((value: string, previous: string[] = []) => {
          const [host, address, extra] = value.split('=');
          if (
            !host ||
            /\s/.test(host) ||
            extra !== undefined ||
            address === undefined ||
            isIP(address) === 0
          ) {
            throw new InvalidArgumentError(
              `expected HOST=ADDRESS such as registry.local=10.0.0.5, got ${JSON.stringify(value)}`,
            );
          }
          return [...previous, value];
        })
        .default([], 'system DNS'),
    );
}

/** A DNS lookup that answers the `--resolve` names itself and asks the system for the rest. */
export async function lookupWith(resolves: readonly string[]) {
  if (resolves.length === 0) return undefined;
  const dns = await import('node:dns');
  const { isIP } = await import('node:net');
  const table = new Map(resolves.map((entry) => entry.split('=') as [string, string]));
  return ((hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
    const address = table.get(hostname.toLowerCase());
    if (address === undefined) return dns.lookup(hostname, options as never, callback as never);
    const family = isIP(address);
    if ((options as { all?: boolean }).all) return callback(null, [{ address, family }]);
    return callback(null, address, family);
  }) as never;
}

/** What a running `kubefresh sim start` adds to the registry flags: its registry's name and address. */
export interface SimRegistryReach {
  /** `registry.sim=127.0.0.1`. */
  readonly resolve: string;
  /** `registry.sim:PORT`: the sim's registry speaks plain HTTP. */
  readonly insecure: string;
}

/**
 * The registry of the sim cluster recorded in the state file, when its process is alive. Only names
 * ending in `.sim` are taken: that top-level domain does not exist, so no real host is shadowed.
 */
export async function liveSimRegistry(
  env: Readonly<Record<string, string | undefined>>,
): Promise<SimRegistryReach | undefined> {
  const state = await readSimState(simStateDir(env));
  if (state?.registry == null || !Number.isInteger(state.pid) || !processAlive(state.pid)) return undefined;
  const name = state.registry.name.toLowerCase();
  const host = name.replace(/:\d+$/, '');
  if (!host.endsWith('.sim') || host === name) return undefined;
  let address: string;
  try {
    address = new URL(state.registry.url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
  if (!/^[0-9a-fA-F.:]+$/.test(address)) return undefined;
  return { resolve: `${host}=${address}`, insecure: name };
}

/** Registry client options from the flags: transport settings plus Docker's stored logins. */
export async function registryClientOptions(flags: RegistryFlags, io: CliIO): Promise<RegistryClientOptions> {
  let ca: string | undefined;
  if (flags.registryCa !== undefined) {
    const file = resolve(io.cwd, flags.registryCa);
    try {
      ca = await readCapped(file, '--registry-ca');
    } catch (err) {
      if (isKubefreshError(err)) throw err;
      throw new KubefreshError(
        'USAGE_REGISTRY_CA',
        `cannot read --registry-ca "${flags.registryCa}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        {
          hint: "pass the path of the PEM file holding the registry's CA certificate",
          cause: err,
        },
      );
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new KubefreshError(
        'USAGE_REGISTRY_CA',
        `--registry-ca "${flags.registryCa}" holds no PEM certificate`,
        {
          hint: 'the file must contain -----BEGIN CERTIFICATE----- blocks',
        },
      );
    }
  }
  // A name given with --resolve wins over the sim's, which is only a fallback.
  const sim = await liveSimRegistry(io.env);
  const given = new Set((flags.resolve ?? []).map((entry) => entry.split('=')[0]!.toLowerCase()));
  const simApplies = sim !== undefined && !given.has(sim.resolve.split('=')[0]!);
  const lookup = await lookupWith([...(flags.resolve ?? []), ...(simApplies ? [sim.resolve] : [])]);
  const configDir = dockerConfigDir(io.env);
  return {
    insecureRegistries: [...flags.insecureRegistry, ...(simApplies ? [sim.insecure] : [])],
    timeoutMs: flags.timeout,
    ...(ca === undefined ? {} : { ca }),
    ...(lookup === undefined ? {} : { lookup }),
    credentials:
      configDir === undefined
        ? ANONYMOUS
        : dockerConfigCredentials({ configDir, ...(io.env.PATH ? { path: io.env.PATH } : {}) }),
  };
}

function parseHost(value: string): string {
  const host = value
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  if (host === '' || /[\s/]/.test(host)) {
    throw new InvalidArgumentError(
      `expected a registry host such as registry.local:5000, got ${JSON.stringify(value)}`,
    );
  }
  return host.toLowerCase();
}

const MAX_TIMER_MS = 2 ** 31 - 1;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `500ms`, `2m`, `1.5s` or a bare number of seconds → milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2] ?? 's']! : Number.NaN;
  // Node's timers hold 32 bits of milliseconds; a longer one fires at once (600h became 1 ms).
  if (ms > MAX_TIMER_MS) {
    throw new InvalidArgumentError(`expected a duration of at most 24d (596h), got ${JSON.stringify(value)}`);
  }
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new InvalidArgumentError(
      `expected a positive duration such as 30s, 500ms or 2m, got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(ms);
}
