import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITIES, parseLintConfig, resolveLintConfig } from '../../../src/core/lint/index.js';

describe('parseLintConfig', () => {
  it('reads every key', () => {
    const text = `lint:
  failOn: warning
  requireDigest: true
  movingTags: [main]
  extraMovingTags: [blue, green]
  allowedRegistries: [ghcr.io/acme]
  rules:
    img006: off
    IMG001: error
`;
    expect(parseLintConfig(text, '.kubefresh.yaml')).toEqual({
      failOn: 'warning',
      requireDigest: true,
      movingTags: ['main'],
      extraMovingTags: ['blue', 'green'],
      allowedRegistries: ['ghcr.io/acme'],
      rules: { IMG006: 'off', IMG001: 'error' },
    });
  });

  it.each([
    [
      'lint:\n  failOn: loud\n',
      '.kubefresh.yaml:2:11: expected lint.failOn to be one of error, warning, info, none, got "loud"',
    ],
    [
      'lint:\n  requireDigets: true\n',
      '.kubefresh.yaml:2:3: unknown key "lint.requireDigets"; expected one of rules, movingTags, extraMovingTags, allowedRegistries, requireDigest, failOn',
    ],
    ['lint:\n  movingTags: main\n', '.kubefresh.yaml:2:15: expected lint.movingTags to be a list of strings'],
    [
      'lint:\n  rules:\n    IMG001: fatal\n',
      '.kubefresh.yaml:3:13: expected lint.rules.IMG001 to be one of error, warning, info, off, got "fatal"',
    ],
    ['- a\n', '.kubefresh.yaml:1:1: expected a mapping at the top level (with a `lint:` key)'],
    ['lint: [\n', '.kubefresh.yaml:2:1: not valid YAML'],
  ])('rejects %j', (text, message) => {
    expect(() => parseLintConfig(text, '.kubefresh.yaml')).toThrow(message);
  });

  it('layers: defaults, then file, then flags', () => {
    const resolved = resolveLintConfig(
      DEFAULT_SEVERITIES,
      { rules: { IMG005: 'off' }, extraMovingTags: ['Blue'] },
      { requireDigest: true, failOn: 'none' },
    );
    expect(resolved.levels.IMG005).toBe('error');
    expect(resolved.movingTags.has('blue')).toBe(true);
    expect(resolved.movingTags.has('main')).toBe(true);
    expect(resolved.failOn).toBe('none');
  });
});
