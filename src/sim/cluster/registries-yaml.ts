import { parse } from 'yaml';
import { yamlProblem } from '../../core/config-text/index.js';
import type { HostConfig, MirrorConfig, RegistriesConfig } from '../kubelet/index.js';

/**
 * Reads K3s's `/etc/rancher/k3s/registries.yaml` (`mirrors.<registry>.endpoint|rewrite`,
 * `configs.<host>.auth.username|password`, `configs.<host>.tls.insecure_skip_verify`). Throws a
 * RangeError quoting what is wrong, as K3s refuses to start on a file it cannot read.
 */
export function parseRegistriesYaml(text: string): RegistriesConfig {
  // The file holds registry passwords: a syntax error names its line and column, never its text.
  const problem = yamlProblem(text);
  if (problem !== undefined)
    throw new RangeError(
      `registries.yaml is not valid YAML at line ${problem.line}, column ${problem.column}: ${problem.reason}`,
    );
  const doc: unknown = parse(text, { uniqueKeys: true });
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new RangeError('registries.yaml must be a mapping with mirrors: and/or configs:');
  const { mirrors, configs } = doc as { mirrors?: unknown; configs?: unknown };
  const out: { mirrors?: Record<string, MirrorConfig>; configs?: Record<string, HostConfig> } = {};
  if (mirrors !== undefined && mirrors !== null) {
    out.mirrors = {};
    for (const [registry, value] of Object.entries(mapping(mirrors, 'mirrors'))) {
      const m = mapping(value, `mirrors."${registry}"`);
      const endpoint = m.endpoint ?? [];
      if (!Array.isArray(endpoint) || endpoint.some((e) => typeof e !== 'string'))
        throw new RangeError(`mirrors."${registry}".endpoint must be a list of URLs`);
      out.mirrors[registry] = {
        endpoint: endpoint as string[],
        ...(m.rewrite === undefined
          ? {}
          : { rewrite: mapping(m.rewrite, 'rewrite') as Record<string, string> }),
      };
    }
  }
  if (configs !== undefined && configs !== null) {
    out.configs = {};
    for (const [host, value] of Object.entries(mapping(configs, 'configs'))) {
      const c = mapping(value, `configs."${host}"`);
      const auth = c.auth === undefined ? undefined : mapping(c.auth, `configs."${host}".auth`);
      const tls = c.tls === undefined ? undefined : mapping(c.tls, `configs."${host}".tls`);
      out.configs[host] = {
        ...(auth === undefined
          ? {}
          : { auth: { username: String(auth.username ?? ''), password: String(auth.password ?? '') } }),
        ...(tls === undefined ? {} : { tls: { insecureSkipVerify: tls.insecure_skip_verify === true } }),
      };
    }
  }
  return out;
}

function mapping(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new RangeError(`registries.yaml: ${where} must be a mapping`);
  return value as Record<string, unknown>;
}
