/**
 * Reading manifests from the file system and stdin, with bounds.
 *
 * - Paths are files, directories (walked recursively for `.yaml`, `.yml` and `.json`, in sorted
 *   order, skipping hidden directories and `node_modules`, each real directory once), or `-` for
 *   stdin (`helm template … | kubefresh lint -`).
 * - Inputs are yielded one at a time, so memory holds one file, whatever the number of files.
 * - A file over the size limit (16 MiB unless raised), a binary file (NUL bytes in the first 8000)
 *   or text that is not UTF-8 is reported as skipped, never read as YAML.
 * - Missing or unreadable paths become `IO_*` errors that quote the path; the walk goes on.
 * - `.kubefresh.yaml` is found in the working directory or the nearest parent.
 * - Configuration files are read with a size cap (`readCapped`), so a device or a huge file fails clearly.
 */

export { CONFIG_FILE_NAMES, loadLintConfig } from './config-file.js';
export { CONFIG_FILE_LIMIT, readCapped, readCappedSync } from './read-capped.js';
export {
  DEFAULT_MAX_FILE_SIZE,
  type InputItem,
  ioError,
  MANIFEST_EXTENSIONS,
  type ReadInputsOptions,
  readInputs,
  STDIN_NAME,
} from './read-inputs.js';
export { refusalToRewrite } from './write-guard.js';
