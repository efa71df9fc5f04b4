import { createHash } from 'node:crypto';
import type { ImageConfig } from '../node/index.js';
import type { ImportSpec } from './kubelet.js';

/** Reads the parts of an OCI/Docker image config blob a runtime needs; tolerant of missing fields. */
export function imageConfigFromJson(bytes: Uint8Array): ImageConfig {
  let blob: {
    os?: unknown;
    architecture?: unknown;
    variant?: unknown;
    config?: { Env?: unknown; Entrypoint?: unknown; Cmd?: unknown; Labels?: unknown };
  } = {};
  try {
    blob = JSON.parse(Buffer.from(bytes).toString('utf8')) ?? {};
  } catch {
    // not JSON: an empty config
  }
  const config = blob.config ?? {};
  const strings = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const labels: Record<string, string> = {};
  if (config.Labels && typeof config.Labels === 'object') {
    for (const [key, value] of Object.entries(config.Labels))
      if (typeof value === 'string') labels[key] = value;
  }
  return {
    os: typeof blob.os === 'string' ? blob.os : 'linux',
    architecture: typeof blob.architecture === 'string' ? blob.architecture : 'amd64',
    variant: typeof blob.variant === 'string' ? blob.variant : undefined,
    env: strings(config.Env),
    entrypoint: strings(config.Entrypoint),
    cmd: strings(config.Cmd),
    labels,
  };
}

/**
 * What `k3s ctr images import` learns from a tarball's image: the config blob (its digest is the
 * image id) and the image's size (manifest + config + layers).
 */
export function importSpecFromConfig(configBytes: Uint8Array, size: number): ImportSpec {
  return {
    id: `sha256:${createHash('sha256').update(configBytes).digest('hex')}`,
    size,
    config: imageConfigFromJson(configBytes),
  };
}
