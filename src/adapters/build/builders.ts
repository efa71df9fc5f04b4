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

/** Docker (a daemon must be running): `docker build`, then `docker save`. */
function docker(options: BuilderOptions): ImageBuilder {
  const env = options.env;
  return {
    name: 'docker',
    async build(request) {
      await runChecked('docker', ['build', '-t', request.localName, ...fileArgs(request), request.context], {
        ...(env ? { env } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },
    exportArchive(localName, signal) {
      const options = { ...(env ? { env } : {}), ...(signal ? { signal } : {}) };
      return inTempDir(
        async (path) => {
          await runChecked('docker', ['save', '-o', path, localName], options);
        },
        () => run('docker', ['rmi', localName], env ? { env } : {}),
      );
    },
  };
}

/** Podman: `podman build`, then `podman save --format oci-archive`. */
function podman(options: BuilderOptions): ImageBuilder {
  const env = options.env;
  return {
    name: 'podman',
    async build(request) {
      await runChecked('podman', ['build', '-t', request.localName, ...fileArgs(request), request.context], {
        ...(env ? { env } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },
    exportArchive(localName, signal) {
      const options = { ...(env ? { env } : {}), ...(signal ? { signal } : {}) };
      return inTempDir(
        async (path) => {
          await runChecked('podman', ['save', '--format', 'oci-archive', '-o', path, localName], options);
        },
        () => run('podman', ['rmi', localName], env ? { env } : {}),
      );
    },
  };
}

/** Buildah (no daemon): `buildah bud`, then `buildah push … oci-archive:PATH`. */
function buildah(options: BuilderOptions): ImageBuilder {
  const env = options.env;
  const storage = ['--storage-driver', options.storageDriver ?? 'vfs'];
  return {
    name: 'buildah',
    async build(request) {
      await runChecked(
        'buildah',
        [
          ...storage,
          'bud',
          '--isolation',
          options.isolation ?? 'chroot',
          '-t',
          request.localName,
          ...fileArgs(request),
          request.context,
        ],
        { ...(env ? { env } : {}), ...(request.signal ? { signal: request.signal } : {}) },
      );
    },
    exportArchive(localName, signal) {
      const options = { ...(env ? { env } : {}), ...(signal ? { signal } : {}) };
      return inTempDir(
        async (path) => {
          await runChecked('buildah', [...storage, 'push', localName, `oci-archive:${path}`], options);
        },
        () => run('buildah', [...storage, 'rmi', localName], env ? { env } : {}),
      );
    },
  };
}

/** A builder by name. */
export function createBuilder(name: BuilderName, options: BuilderOptions = {}): ImageBuilder {
  switch (name) {
    case 'docker':
      return docker(options);
    case 'podman':
      return podman(options);
    case 'buildah':
      return buildah(options);
  }
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
