/**
 * Image config labels that tell the simulated kubelet what a container from this image does. A
 * "v2 that crashes" is just an image whose config says so; real runtimes ignore these labels.
 * Values are strings (labels always are); durations are milliseconds of simulated time.
 */

/** Exit code when the container's process ends. Absent: the container runs until stopped. */
export const LABEL_EXIT_CODE = 'io.kubefresh.sim.exit-code';

/** How long the process runs before exiting with {@link LABEL_EXIT_CODE} (ms). Default: 0 when an exit code is set. */
export const LABEL_RUN_DURATION = 'io.kubefresh.sim.run-duration';

/** Delay between container start and the process being up (ms), e.g. `"2000"`. Default: 0. */
export const LABEL_START_DELAY = 'io.kubefresh.sim.start-delay';

/** Delay after start until the container reports ready (ms). Default: ready at once. */
export const LABEL_READY_DELAY = 'io.kubefresh.sim.ready-delay';

/** Lines the container writes to its log, as a JSON array of strings or newline-separated text. */
export const LABEL_LOGS = 'io.kubefresh.sim.logs';

/**
 * Environment variables the process needs, comma-separated (`"DATABASE_URL,API_KEY"`). A missing one
 * makes the container log `missing required environment variable NAME` and exit 1.
 */
export const LABEL_REQUIRE_ENV = 'io.kubefresh.sim.require-env';

/**
 * Memory the process uses, as a Kubernetes quantity (`"256Mi"`). Above the container's memory limit
 * the kubelet reports `OOMKilled` with exit code 137.
 */
export const LABEL_MEMORY = 'io.kubefresh.sim.memory';

/** A version string the simulated app reports in its logs (`"v2"`), so tests can tell images apart. */
export const LABEL_VERSION = 'io.kubefresh.sim.version';

/** Every behaviour label, for validation and help text. */
export const BEHAVIOUR_LABELS: readonly string[] = [
  LABEL_EXIT_CODE,
  LABEL_RUN_DURATION,
  LABEL_START_DELAY,
  LABEL_READY_DELAY,
  LABEL_LOGS,
  LABEL_REQUIRE_ENV,
  LABEL_MEMORY,
  LABEL_VERSION,
];
