import { stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { type LintConfig, parseLintConfig } from '../../core/lint/index.js';
import { KubefreshError } from '../../errors/index.js';
import { readCapped } from './read-capped.js';
import { ioError } from './read-inputs.js';

/** The names kubefresh looks for, in each directory from the working directory up to the root. */
export const CONFIG_FILE_NAMES: readonly string[] = ['.kubefresh.yaml', '.kubefresh.yml'];

/** Configuration files are small; anything bigger is a mistake. */
const MAX_CONFIG_SIZE = 1024 * 1024;

/**
 * Loads the `lint:` section of `.kubefresh.yaml`: from `explicitPath` when given (it must exist),
 * else the nearest config file in `cwd` or a parent directory, else nothing.
 * Throws `CONFIG_*` errors (exit code 2) quoting the file, line and column.
 */
export async function loadLintConfig(
  cwd: string,
  explicitPath?: string,
): Promise<{ file: string; config: LintConfig } | undefined> {
  const path = explicitPath === undefined ? await findConfigFile(cwd) : resolve(cwd, explicitPath);
  if (path === undefined) return undefined;
  const shown = explicitPath ?? (relative(cwd, path) || path);
  if (explicitPath === undefined) await refuseForeign(path, shown);
  let text: string;
  try {
    text = await readCapped(path, 'configuration file', MAX_CONFIG_SIZE);
  } catch (err) {
    if (err instanceof KubefreshError) throw err;
    const io = ioError(shown, err);
    throw new KubefreshError('CONFIG_UNREADABLE', io.message, { hint: 'check --config', cause: err });
  }
  return { file: shown, config: parseLintConfig(text, shown) };
}

/**
 * A config file found by walking up (not named with `--config`) is used only when it is yours and
 * nobody else may write it, as git does with `safe.directory`: in a shared `/tmp` or a checkout of
 * someone else's, a planted `.kubefresh.yaml` would silently turn rules off.
 */
async function refuseForeign(path: string, shown: string): Promise<void> {
  const info = await stat(path);
  const uid = process.getuid?.();
  const foreign = uid !== undefined && info.uid !== uid;
  const writable = (info.mode & 0o002) !== 0;
  if (!foreign && !writable) return;
  throw new KubefreshError(
    'CONFIG_UNSAFE',
    `refusing to use "${shown}": ${foreign ? `it is owned by uid ${info.uid}, not by you (uid ${uid})` : 'anyone may write it'}`,
    {
      hint: `use it anyway with --config ${shown}, or ignore config files with --no-config`,
      details: { file: shown },
    },
  );
}

async function findConfigFile(cwd: string): Promise<string | undefined> {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      try {
        if ((await stat(candidate)).isFile()) return candidate;
      } catch {
        // not here; keep looking upwards
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
