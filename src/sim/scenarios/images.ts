import { LABEL_EXIT_CODE, LABEL_LOGS, LABEL_VERSION } from '../images/behaviour-labels.js';
import type { ImageSpec } from '../images/index.js';

/**
 * A web app image that logs its version and keeps running. `app` names the application: two
 * scenarios' apps are different images (different digests) even at the same version, so a pod's
 * imageID never shows another scenario's repository.
 */
export function appImage(version: string, app = 'app'): ImageSpec {
  return {
    entrypoint: ['/app/server'],
    labels: {
      [LABEL_VERSION]: version,
      [LABEL_LOGS]: JSON.stringify([`${app} ${version} listening on :8080`]),
      'org.opencontainers.image.title': app,
    },
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
