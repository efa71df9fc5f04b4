/**
 * Where a configuration file (kubeconfig, Docker's `config.json`, K3s's `registries.yaml`,
 * `.kubefresh.yaml`, a lock file) stops being valid, said without quoting it: these files hold
 * tokens, passwords and keys, and a parser's own message often carries an excerpt of the text
 * around the problem (yaml's `^^^` excerpt, V8's `"…" is not valid JSON`). A problem is a line, a
 * column and a reason from a fixed table.
 */
export { type ConfigProblem, jsonProblem, yamlProblem } from './problem.js';
