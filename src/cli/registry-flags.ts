import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  ANONYMOUS,
  dockerConfigCredentials,
  dockerConfigDir,
  type RegistryClientOptions,
} from '../adapters/registry/index.js';
import { KubefreshError } from '../errors/index.js';
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
}

/** Default per-request timeout: long enough for a slow registry, short enough to notice a dead one. */
export const DEFAULT_REGISTRY_TIMEOUT = '30s';

/** Adds `--insecure-registry`, `--registry-ca` and `--timeout` to `command`. */
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
    );
}

/** Registry client options from the flags: transport settings plus Docker's stored logins. */
export async function registryClientOptions(flags: RegistryFlags, io: CliIO): Promise<RegistryClientOptions> {
  let ca: string | undefined;
  if (flags.registryCa !== undefined) {
    const file = resolve(io.cwd, flags.registryCa);
    try {
      ca = await readFile(file, 'utf8');
    } catch (err) {
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
  const configDir = dockerConfigDir(io.env);
  return {
    insecureRegistries: flags.insecureRegistry,
    timeoutMs: flags.timeout,
    ...(ca === undefined ? {} : { ca }),
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

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `500ms`, `2m`, `1.5s` or a bare number of seconds → milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2] ?? 's']! : Number.NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new InvalidArgumentError(
      `expected a positive duration such as 30s, 500ms or 2m, got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(ms);
}
