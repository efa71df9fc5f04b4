import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImage, buildMultiPlatformImage, pushImage } from '../../../src/sim/images/index.js';
import { type RunningRegistry, startRegistry } from '../../../src/sim/registry/index.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'pin');

/** The images the pin fixtures name, pushed to a fresh in-process registry. */
export interface PinRegistry {
  readonly reg: RunningRegistry;
  /** `app:v1` → the digest its tag names (the index digest for multi-platform images). */
  readonly digests: Readonly<Record<string, string>>;
  /** Fixture text → real text: `{{registry}}` and `{{digest:NAME}}` filled in. */
  fill(text: string): string;
  /** Real text → fixture text (for writing golden files). */
  unfill(text: string): string;
  close(): Promise<void>;
}

export async function startPinRegistry(): Promise<PinRegistry> {
  const reg = await startRegistry();
  const artifacts = {
    // A multi-platform OCI index: pins must name the index, never a platform child.
    'app:v1': buildMultiPlatformImage({ labels: { version: 'v1' } }, ['linux/amd64', 'linux/arm64']),
    'app:v2': buildImage({ labels: { version: 'v2' } }),
    // A Docker manifest list, as docker buildx pushes by default.
    'tools/busybox:1.36': buildMultiPlatformImage({ format: 'docker', labels: { tool: 'busybox' } }, [
      'linux/amd64',
      'linux/arm/v7',
    ]),
    'web:latest': buildImage({ labels: { app: 'web' } }),
  };
  const digests: Record<string, string> = {};
  for (const [name, artifact] of Object.entries(artifacts)) {
    const [repository, tag] = name.split(':') as [string, string];
    digests[name] = (await pushImage(reg.registry, repository, tag, artifact)).digest;
  }
  const fill = (text: string): string =>
    text
      .replaceAll('{{registry}}', reg.host)
      .replace(/\{\{digest:([^}]+)\}\}/g, (_, name: string) => digests[name] ?? `{{unknown ${name}}}`);
  const unfill = (text: string): string => {
    let out = text.replaceAll(reg.host, '{{registry}}');
    for (const [name, digest] of Object.entries(digests)) out = out.replaceAll(digest, `{{digest:${name}}}`);
    return out;
  };
  return { reg, digests, fill, unfill, close: () => reg.close() };
}

/** A fixture file's exact text. */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}
