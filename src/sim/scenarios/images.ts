import { LABEL_EXIT_CODE, LABEL_LOGS, LABEL_VERSION } from '../images/behaviour-labels.js';
import type { ImageSpec } from '../images/index.js';

/** A web app image that logs its version and keeps running. */
export function appImage(version: string): ImageSpec {
  return {
    entrypoint: ['/app/server'],
    labels: { [LABEL_VERSION]: version, [LABEL_LOGS]: JSON.stringify([`app ${version} listening on :8080`]) },
    layers: [{ 'app/VERSION': `${version}\n` }],
  };
}

/** An app image that starts, logs `lines`, and exits with `exitCode`: a release that crashes. */
export function crashingImage(version: string, lines: readonly string[], exitCode = 1): ImageSpec {
  return {
    entrypoint: ['/app/server'],
    labels: {
      [LABEL_VERSION]: version,
      [LABEL_LOGS]: JSON.stringify(lines),
      [LABEL_EXIT_CODE]: String(exitCode),
    },
    layers: [{ 'app/VERSION': `${version}\n` }],
  };
}
