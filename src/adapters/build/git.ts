import { KubefreshError } from '../../errors/index.js';
import { run } from './subprocess.js';

/** The commit checked out in `dir` and whether the work tree has uncommitted changes. */
export async function gitState(dir: string): Promise<{ commit: string; dirty: boolean }> {
  const head = await run('git', ['rev-parse', 'HEAD'], { cwd: dir }).catch(() => undefined);
  if (head === undefined || head.code !== 0) {
    throw new KubefreshError('BUILD_GIT_COMMIT', `"${dir}" is not inside a git work tree with a commit`, {
      hint: 'use --tag-strategy timestamp or content, or --tag NAME',
    });
  }
  const status = await run('git', ['status', '--porcelain'], { cwd: dir });
  return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
}
