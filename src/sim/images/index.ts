/**
 * The image builder: makes real OCI images in memory, with no Docker and no build context. An
 * image is a config JSON (labels, env, entrypoint, os/architecture), gzip tar layers, and a manifest
 * naming both by digest; a multi-platform image is an index over one manifest per platform. Equal
 * input always gives equal bytes and so equal digests (mtime 0, fixed `created`), which lets tests
 * predict digests and lets a "v2" differ from "v1" only where it should.
 *
 * Config labels from behaviour-labels.ts tell the simulated kubelet what a container does (exit
 * code, start and ready delays, log lines, required env, memory). `pushImage` sends an image to any
 * registry over HTTP (or straight into an in-process one); `writeOciLayout`, `ociArchive` and
 * `dockerArchive` produce what `ctr images import` and `k3s` imports read.
 */
export { type ArchiveOptions, dockerArchive, ociArchive, ociLayoutFiles, writeOciLayout } from './archive.js';
export * from './behaviour-labels.js';
export {
  type Blob,
  type BuiltArtifact,
  type BuiltImage,
  type BuiltIndex,
  blobsOf,
  buildImage,
  buildIndex,
  buildLayer,
  buildMultiPlatformImage,
  formatPlatform,
  type ImageSpec,
  type Layer,
  type LayerSpec,
  manifestsOf,
  type Platform,
  parsePlatform,
  selectPlatform,
} from './build.js';
export { type PushOptions, type PushResult, type PushTarget, pushImage } from './push.js';
export { type TarEntry, writeTar } from './tar.js';
