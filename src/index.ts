/**
 * kubefresh as a library. Every public name is exported here by name; the CLI is built on exactly
 * these functions. The simulated cluster and registries for tests live under `kubefresh/testing`.
 */

export * from './errors/index.js';
export { VERSION } from './version.js';
