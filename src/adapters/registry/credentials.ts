import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { jsonProblem } from '../../core/config-text/index.js';
import { isKubefreshError, KubefreshError } from '../../errors/index.js';
import { readCapped } from '../fs/read-capped.js';

/** What a registry login gives us: a user and password, or a token. Never printed. */
export type Credential =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  /** An OAuth2 refresh token (`identitytoken`), exchanged at the token realm for access tokens. */
  | { readonly kind: 'identity-token'; readonly username?: string; readonly token: string }
  /** A bearer token sent as is (`registrytoken`). */
  | { readonly kind: 'registry-token'; readonly token: string };

/** Looks up credentials for a registry host (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
export interface CredentialSource {
  get(registry: string): Promise<Credential | undefined>;
}

/** The key Docker stores Docker Hub logins under. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** No credentials at all: every request is anonymous. */
export const ANONYMOUS: CredentialSource = { get: async () => undefined };

/** Fixed credentials per registry host, for library users and tests. */
export function staticCredentials(entries: Readonly<Record<string, Credential>>): CredentialSource {
  return { get: async (registry) => entries[registry] };
}

export interface DockerConfigOptions {
  /** The directory holding config.json: `$DOCKER_CONFIG`, else `~/.docker`. */
  readonly configDir: string;
  /** PATH used to find `docker-credential-<name>` helpers. Default: this process's PATH. */
  readonly path?: string;
  /** How long a credential helper may take. Default: 10 s. */
  readonly helperTimeoutMs?: number;
}

interface DockerConfigFile {
  auths?: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }
  >;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** `https://host:port/v1/` → `host:port`, the way docker's `ConvertToHostname` matches keys. */
function keyHost(key: string): string {
  let host = key.replace(/^[a-z]+:\/\//i, '');
  const slash = host.indexOf('/');
  if (slash >= 0) host = host.slice(0, slash);
  return host.toLowerCase();
}

/** The directory Docker reads its config from: `$DOCKER_CONFIG`, else `$HOME/.docker`. */
export function dockerConfigDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.DOCKER_CONFIG) return env.DOCKER_CONFIG;
  const home = env.HOME ?? env.USERPROFILE;
  return home ? join(home, '.docker') : undefined;
}

/**
 * Credentials from Docker's `config.json` (semantics §7): `credHelpers[host]` wins, then
 * `credsStore`, then `auths` (base64 `user:pass` in `auth`, or `identitytoken`/`registrytoken`).
 * Docker Hub is stored under `https://index.docker.io/v1/`. A missing file means anonymous; a
 * malformed one is a `CONFIG_DOCKER_CONFIG` error naming the file.
 */
export function dockerConfigCredentials(options: DockerConfigOptions): CredentialSource {
  const file = join(options.configDir, 'config.json');
  let loaded: Promise<DockerConfigFile> | undefined;
  const load = (): Promise<DockerConfigFile> => {
    loaded ??= readCapped(file, 'Docker config').then(
      (text) => {
        // The file holds passwords: a problem is its line and column, never its text (V8's
        // JSON.parse message quotes the input, so it is not even kept as a cause).
        const problem = jsonProblem(text);
        const json = problem === undefined ? (JSON.parse(text) as unknown) : undefined;
        if (problem !== undefined || typeof json !== 'object' || json === null || Array.isArray(json)) {
          const where =
            problem === undefined
              ? 'expected a JSON object'
              : `not valid JSON at line ${problem.line}, column ${problem.column}: ${problem.reason}`;
          throw new KubefreshError('CONFIG_DOCKER_CONFIG', `cannot read Docker config ${file}: ${where}`, {
            hint: 'fix the file (docker login rewrites it), or point DOCKER_CONFIG at another directory',
          });
        }
        return json as DockerConfigFile;
      },
      (err: NodeJS.ErrnoException) => {
        if (isKubefreshError(err)) throw err;
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return {};
        throw new KubefreshError(
          'CONFIG_DOCKER_CONFIG',
          `cannot read Docker config ${file}: ${err.code ?? err.message}`,
          {
            hint: 'check the file permissions, or point DOCKER_CONFIG at another directory',
            cause: err,
          },
        );
      },
    );
    return loaded;
  };
  const cache = new Map<string, Promise<Credential | undefined>>();

  const lookup = async (registry: string): Promise<Credential | undefined> => {
    const config = await load();
    const isHub = DOCKER_HUB_NAMES.has(registry);
    const serverUrl = isHub ? DOCKER_HUB_KEY : registry;
    const host = isHub ? 'index.docker.io' : registry.toLowerCase();
    const helper =
      config.credHelpers?.[serverUrl] ?? config.credHelpers?.[registry] ?? config.credsStore ?? undefined;
    if (helper) {
      const fromHelper = await runCredentialHelper(helper, serverUrl, options);
      if (fromHelper) return fromHelper;
    }
    for (const [key, entry] of Object.entries(config.auths ?? {})) {
      if (keyHost(key) !== host && !(isHub && DOCKER_HUB_NAMES.has(keyHost(key)))) continue;
      if (entry.registrytoken) return { kind: 'registry-token', token: entry.registrytoken };
      let username = entry.username;
      let password = entry.password;
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0) {
          throw new KubefreshError(
            'CONFIG_DOCKER_CONFIG',
            `cannot read Docker config ${file}: the "auth" of "${key}" is not base64 user:password`,
            {
              hint: `run docker login ${registry} again`,
            },
          );
        }
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
      }
      if (entry.identitytoken) {
        return username
          ? { kind: 'identity-token', username, token: entry.identitytoken }
          : { kind: 'identity-token', token: entry.identitytoken };
      }
      if (username !== undefined && password !== undefined && (username !== '' || password !== '')) {
        return { kind: 'basic', username, password };
      }
    }
    return undefined;
  };

  return {
    get(registry) {
      let found = cache.get(registry);
      if (!found) {
        found = lookup(registry);
        cache.set(registry, found);
      }
      return found;
    },
  };
}

/**
 * Runs `docker-credential-<name> get` with the server URL on stdin (the docker-credential-helpers
 * protocol). "credentials not found" means anonymous; any other failure is `CONFIG_CREDENTIAL_HELPER`.
 */
export function runCredentialHelper(
  name: string,
  serverUrl: string,
  options: Pick<DockerConfigOptions, 'path' | 'helperTimeoutMs'> = {},
): Promise<Credential | undefined> {
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      ['get'],
      {
        timeout: options.helperTimeoutMs ?? 10_000,
        env: { PATH: options.path ?? process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
        maxBuffer: 1 << 20,
      },
      (err, stdout, stderr) => {
        if (err) {
          const text = `${stdout}\n${stderr}`;
          if (/credentials not found/i.test(text)) return resolve(undefined);
          const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
          return reject(
            new KubefreshError(
              'CONFIG_CREDENTIAL_HELPER',
              missing
                ? `credential helper ${program} (configured in Docker's config.json) is not installed`
                : `credential helper ${program} failed for ${serverUrl}: ${stderr.trim().split('\n')[0] || err.message}`,
              {
                hint: missing
                  ? `install ${program}, or remove it from credsStore/credHelpers in config.json`
                  : `check the helper works: echo ${serverUrl} | ${program} get`,
              },
            ),
          );
        }
        try {
          const json = JSON.parse(stdout) as { Username?: string; Secret?: string };
          if (!json.Secret) return resolve(undefined);
          if (json.Username === '<token>') return resolve({ kind: 'identity-token', token: json.Secret });
          resolve({ kind: 'basic', username: json.Username ?? '', password: json.Secret });
        } catch {
          reject(
            new KubefreshError(
              'CONFIG_CREDENTIAL_HELPER',
              `credential helper ${program} printed something other than JSON for ${serverUrl}`,
              {
                hint: `check the helper works: echo ${serverUrl} | ${program} get`,
              },
            ),
          );
        }
      },
    );
    child.stdin?.end(serverUrl);
  });
}
