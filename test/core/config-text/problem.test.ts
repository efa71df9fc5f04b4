import { describe, expect, it } from 'vitest';
import { jsonProblem, yamlProblem } from '../../../src/core/config-text/index.js';
import { parseRegistriesYaml } from '../../../src/sim/cluster/registries-yaml.js';

describe('config problems, never quoting the file', () => {
  it.each([
    [
      'users:\n- name: u\n  user:\n    token: abc\n     password: p4ss\n',
      4,
      'a nested block cannot be a key',
    ],
    ['a: 1\n\tb: 2\n', 2, 'tabs cannot indent YAML; use spaces'],
    ['a: "unclosed\n', 2, 'expected a closing quote or bracket'],
    ['a: 1\na: 2\n', 2, 'a key appears twice in one mapping'],
  ])('YAML %j → line %i: %s', (text, line, reason) => {
    expect(yamlProblem(text)).toMatchObject({ line, reason });
  });

  it('valid YAML and JSON have no problem', () => {
    expect(yamlProblem('a: 1\n---\nb: [1, 2]\n')).toBeUndefined();
    expect(jsonProblem('{"auths": {}}')).toBeUndefined();
  });

  it.each([
    ['{"auths": ', 1, 11, 'expected a value'],
    ['{\n  "a": 1,\n  b: "p4ss"\n}', 3, 3, 'unexpected character'],
    ['{"a": 1}}', 1, 9, 'expected the end of the file after the value'],
    ['', 1, 1, 'expected a value'],
  ])('JSON %j → %i:%i %s', (text, line, column, reason) => {
    expect(jsonProblem(text)).toEqual({ line, column, reason });
  });

  it('registries.yaml errors give the place and the reason, not the password on that line', () => {
    const text = 'configs:\n  "r:5000":\n    auth:\n      username: u\n       password: hunter2\n';
    expect(() => parseRegistriesYaml(text)).toThrow(
      'registries.yaml is not valid YAML at line 4, column 17: a nested block cannot be a key',
    );
    try {
      parseRegistriesYaml(text);
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});
