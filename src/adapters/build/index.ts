/**
 * Builds and image archives: the only product code that runs builders or reads images from disk.
 *
 * Builders are subprocesses (no shell): `docker build` + `docker save` (needs a daemon), `podman
 * build` + `podman save --format oci-archive`, `buildah bud` + `buildah push oci-archive:` (with
 * `--storage-driver vfs --isolation chroot` by default, which works as root in a container). The
 * builder never pushes: kubefresh reads the archive it wrote (`readImageArchive`, which also takes an
 * OCI layout directory or any `docker save` / OCI tar) and pushes it with its own registry client.
 * Failures are `BUILD_*` errors quoting the command and the tail of its output.
 */
export { type BuilderOptions, createBuilder, detectBuilder } from './builders.js';
export { gitState } from './git.js';
export { type ArchivedManifest, type ImageArchive, readImageArchive } from './image-archive.js';
export { type RunResult, run, runChecked } from './subprocess.js';
export { readTarEntries } from './tar-reader.js';
