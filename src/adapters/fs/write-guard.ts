import { realpath, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';

/**
 * Why `pin -w` must not rewrite `file`, or undefined when it may. The user named `roots` (files
 * and directories); a file is rewritten only when its real path is one of them or lies inside one,
 * so a symlink in a manifest directory cannot send the write to `/etc`. A file nobody may write
 * (0444: someone made it read-only on purpose; root would write it anyway) and a file with other
 * hard links (the atomic rename would leave the other names on the old text) are left too.
 */
export async function refusalToRewrite(
  file: string,
  roots: readonly string[],
  cwd: string,
): Promise<string | undefined> {
  const path = resolve(cwd, file);
  const real = await realpath(path);
  const inside = await Promise.all(
    roots.map(async (root) => {
      const realRoot = await realpath(resolve(cwd, root)).catch(() => undefined);
      if (realRoot === undefined) return false;
      const rel = relative(realRoot, real);
      return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
    }),
  );
  if (!inside.some(Boolean))
    return `it is a link to "${real}", outside ${roots.map((r) => `"${r}"`).join(', ')}`;
  const info = await stat(real);
  if ((info.mode & 0o222) === 0)
    return `it is read-only (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')})`;
  if (info.nlink > 1) return `it has ${info.nlink} hard links, which rewriting would break`;
  return undefined;
}
