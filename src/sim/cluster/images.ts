import {
  type BuiltArtifact,
  type BuiltImage,
  buildImage,
  type ImageSpec,
  selectPlatform,
} from '../images/index.js';
import type { ImportSpec } from '../kubelet/index.js';

/** A built image, an index, or a spec to build one from. */
export type ImageInput = BuiltArtifact | ImageSpec;

/** Whether `input` is already built (has a digest and bytes). */
export function isBuilt(input: ImageInput): input is BuiltArtifact {
  return typeof (input as BuiltArtifact).digest === 'string' && 'kind' in input;
}

/** Builds `input` if it is a spec (for `platform` unless the spec names one). */
export function artifactOf(input: ImageInput, platform?: string): BuiltArtifact {
  if (isBuilt(input)) return input;
  return buildImage(platform !== undefined && input.platform === undefined ? { ...input, platform } : input);
}

/**
 * What `k3s ctr images import` keeps of an image for one node: the config of the node's platform
 * (the index child for a multi-platform image) and its size. Throws when the index has no child
 * for that platform, as containerd does ("no match for platform in manifest").
 */
export function importSpecFor(artifact: BuiltArtifact, platform: string): ImportSpec {
  const image: BuiltImage | undefined =
    artifact.kind === 'index' ? selectPlatform(artifact, platform) : artifact;
  if (!image) throw new Error(`no match for platform in manifest: ${platform} not in ${artifact.digest}`);
  const json = JSON.parse(image.config.bytes.toString('utf8')) as {
    os: string;
    architecture: string;
    variant?: string;
    config?: { Env?: string[]; Entrypoint?: string[]; Cmd?: string[]; Labels?: Record<string, string> };
  };
  const size = image.size + image.config.size + image.layers.reduce((sum, l) => sum + l.size, 0);
  return {
    id: image.config.digest,
    size,
    config: {
      os: json.os,
      architecture: json.architecture,
      ...(json.variant === undefined ? {} : { variant: json.variant }),
      env: json.config?.Env ?? [],
      entrypoint: json.config?.Entrypoint ?? [],
      cmd: json.config?.Cmd ?? [],
      labels: json.config?.Labels ?? {},
    },
  };
}
