import { describe, expect, it } from 'vitest';
import { parseRegistriesYaml } from '../../../src/sim/cluster/registries-yaml.js';

describe('parseRegistriesYaml', () => {
  it('reads mirrors and configs as K3s does', () => {
    const config = parseRegistriesYaml(
      'mirrors:\n  "localhost:5000":\n    endpoint:\n      - "http://10.0.0.2:5000"\nconfigs:\n  "10.0.0.2:5000":\n    auth:\n      username: ci\n      password: s3cret\n    tls:\n      insecure_skip_verify: true\n',
    );
    expect(config).toEqual({
      mirrors: { 'localhost:5000': { endpoint: ['http://10.0.0.2:5000'] } },
      configs: {
        '10.0.0.2:5000': { auth: { username: 'ci', password: 's3cret' }, tls: { insecureSkipVerify: true } },
      },
    });
  });

  it('refuses a file with mirrors: twice (two snippets appended) and endpoints that are not a list', () => {
    const twice =
      'mirrors:\n  "a:1":\n    endpoint: ["http://x:1"]\nmirrors:\n  "b:2":\n    endpoint: ["http://y:2"]\n';
    expect(() => parseRegistriesYaml(twice)).toThrow(/not valid YAML/);
    expect(() => parseRegistriesYaml('mirrors:\n  "a:1":\n    endpoint: http://x:1\n')).toThrow(
      'mirrors."a:1".endpoint must be a list of URLs',
    );
  });
});
