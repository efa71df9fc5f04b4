import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { KubefreshError } from '../../errors/index.js';
import type { BuilderName, BuildRequest, ExportedArchive, ImageBuilder } from '../../ports/image-builder.js';
import { run, runChecked } from './subprocess.js';

export interface BuilderOptions {
  /** Environment for the builder (PATH, DOCKER_HOST…). Default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Buildah: `--storage-driver` (vfs works unprivileged and in containers). Default: vfs. */
  readonly storageDriver?: string;
  /** Buildah: `--isolation` for RUN steps. Default: chroot. */
  readonly isolation?: string;
}

/** Runs `write(path)` into a fresh temp directory; removes the directory if writing fails. */
async function inTempDir(
  write: (path: string) => Promise<void>,
  cleanup?: () => Promise<unknown>,
): Promise<ExportedArchive> {
  const dir = await mkdtemp(join(tmpdir(), 'kubefresh-build-'));
  const remove = async () => {
    await rm(dir, { recursive: true, force: true });
    await cleanup?.().catch(() => undefined);
  };
  try {
    const path = join(dir, 'image.tar');
    await write(path);
    return { path, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

function fileArgs(request: BuildRequest): string[] {
  if (request.file === undefined) return [];
  return ['-f', isAbsolute(request.file) ? request.file : join(request.context, request.file)];
}

/**
 * One builder's command line: how it builds, writes an archive of the result, and removes its
 * local image. Docker needs a running daemon; podman and buildah do not.
 */
interface BuilderCli {
  readonly name: BuilderName;
  /** Flags before every subcommand (buildah's storage driver). */
  readonly global: readonly string[];
  build(request: BuildRequest): string[];
  save(localName: string, path: string): string[];
  rmi(localName: string): string[];
}

/** `-t NAME [-f FILE] CONTEXT`, as all three take it. */
function tagged(request: BuildRequest): string[] {
  return ['-t', request.localName, ...fileArgs(request), request.context];
}

const CLIS: Record<BuilderName, (options: BuilderOptions) => BuilderCli> = {
  // `docker build`, then `docker save` (a docker archive).
  docker: () => ({
    name: 'docker',
    global: [],
    build: (request) => ['build', ...tagged(request)],
    save: (localName, path) => ['save', '-o', path, localName],
    rmi: (localName) => ['rmi', localName],
  }),
  // `podman build`, then `podman save --format oci-archive`.
  podman: () => ({
    name: 'podman',
    global: [],
    build: (request) => ['build', ...tagged(request)],
    save: (localName, path) => ['save', '--format', 'oci-archive', '-o', path, localName],
    rmi: (localName) => ['rmi', localName],
  }),
  // No daemon: `buildah bud`, then `buildah push … oci-archive:PATH`.
  buildah: (options) => ({
    name: 'buildah',
    global: ['--storage-driver', options.storageDriver ?? 'vfs'],
    build: (request) => ['bud', '--isolation', options.isolation ?? 'chroot', ...tagged(request)],
    save: (localName, path) => ['push', localName, `oci-archive:${path}`],
    rmi: (localName) => ['rmi', localName],
  }),
};

/** A builder by name. */
export function createBuilder(name: BuilderName, options: BuilderOptions = {}): ImageBuilder {
  const cli = CLIS[name](options);
  const withEnv = options.env ? { env: options.env } : {};
  const command = (args: readonly string[]) => [...cli.global, ...args];
  return {
    name: cli.name,
    async build(request) {
      await runChecked(cli.name, command(cli.build(request)), {
        ...withEnv,
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },
    exportArchive(localName, signal) {
      return inTempDir(
        async (path) => {
          await runChecked(cli.name, command(cli.save(localName, path)), {
            ...withEnv,
            ...(signal ? { signal } : {}),
          });
        },
        () => run(cli.name, command(cli.rmi(localName)), withEnv),
      );
    },
  };
}

/** How each builder is probed: the command must exit 0 (docker's needs a reachable daemon). */
const PROBES: readonly (readonly [BuilderName, readonly string[]])[] = [
  ['docker', ['version', '--format', '{{.Server.Version}}']],
  ['podman', ['version', '--format', '{{.Client.Version}}']],
  ['buildah', ['--version']],
];

/**
 * The first builder that works here, in skaffold's order of preference: docker (with a running
 * daemon), podman, buildah. Throws `BUILD_TOOL_MISSING` listing what was tried.
 */
export async function detectBuilder(options: BuilderOptions = {}): Promise<ImageBuilder> {
  const tried: string[] = [];
  for (const [name, args] of PROBES) {
    try {
      const result = await run(name, args, options.env ? { env: options.env } : {});
      if (result.code === 0) return createBuilder(name, options);
      tried.push(
        `${name} (${(result.stderr.trim().split('\n')[0] ?? '').slice(0, 120) || `exit ${result.code}`})`,
      );
    } catch {
      tried.push(`${name} (not installed)`);
    }
  }
  throw new KubefreshError('BUILD_TOOL_MISSING', `no image builder works here: ${tried.join(', ')}`, {
    hint: 'install docker, podman or buildah, pass --builder, or push a prebuilt image with --from-oci DIR or --from-tar FILE',
  });
}
