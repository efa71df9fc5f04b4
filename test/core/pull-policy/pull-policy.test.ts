import { describe, expect, it } from 'vitest';
import {
  defaultPullPolicy,
  effectivePullPolicy,
  explainDefaultPullPolicy,
  isPullPolicy,
  kubeletImageName,
  kubeletInvalidImageMessage,
} from '../../../src/core/pull-policy/index.js';

const D = `sha256:${'e'.repeat(64)}`;

describe('defaultPullPolicy (semantics.md §1 table)', () => {
  it.each([
    ['nginx', 'Always', 'no-tag'],
    ['nginx:latest', 'Always', 'latest-tag'],
    ['nginx:1.25', 'IfNotPresent', 'other-tag'],
    [`nginx@${D}`, 'IfNotPresent', 'digest-only'],
    [`nginx:latest@${D}`, 'Always', 'latest-tag'],
    [`nginx:1.25@${D}`, 'IfNotPresent', 'other-tag'],
    ['MyApp:v1', 'IfNotPresent', 'unparsable'],
    // beyond the table: exact, case-sensitive `latest`; host:port forms; bad input
    ['nginx:LATEST', 'IfNotPresent', 'other-tag'],
    ['nginx:Latest', 'IfNotPresent', 'other-tag'],
    ['localhost:5000/app', 'Always', 'no-tag'],
    ['localhost:5000', 'IfNotPresent', 'other-tag'],
    ['registry.example.com:5000/team/app:latest', 'Always', 'latest-tag'],
    ['[::1]:5000/app', 'Always', 'no-tag'],
    ['', 'IfNotPresent', 'unparsable'],
    [' nginx', 'IfNotPresent', 'unparsable'],
    [`nginx@sha256:${'e'.repeat(63)}`, 'IfNotPresent', 'unparsable'],
  ])('%s → %s (%s)', (image, policy, reason) => {
    expect(defaultPullPolicy(image)).toBe(policy);
    const explained = explainDefaultPullPolicy(image);
    expect(explained).toMatchObject({ policy, reason });
    expect(explained.because.length).toBeGreaterThan(5);
  });
});

describe('effectivePullPolicy', () => {
  it('uses the explicit policy when set, even against the tag', () => {
    expect(effectivePullPolicy('nginx:latest', 'IfNotPresent')).toBe('IfNotPresent');
    expect(effectivePullPolicy('nginx:1.25', 'Always')).toBe('Always');
    expect(effectivePullPolicy('nginx', 'Never')).toBe('Never');
  });

  it('falls back to the API default when the field is absent or empty', () => {
    expect(effectivePullPolicy('nginx')).toBe('Always');
    expect(effectivePullPolicy('nginx', '')).toBe('Always');
    expect(effectivePullPolicy('nginx:1.25', null)).toBe('IfNotPresent');
  });

  it('recognizes only the exact policy names', () => {
    expect(['Always', 'IfNotPresent', 'Never'].every(isPullPolicy)).toBe(true);
    expect(['always', 'ifnotpresent', '', 'Sometimes', 1, undefined].some(isPullPolicy)).toBe(false);
  });
});

describe('kubeletImageName', () => {
  it.each([
    ['nginx', 'nginx:latest'],
    ['nginx:1.25', 'nginx:1.25'],
    ['nginx:latest', 'nginx:latest'],
    [`nginx@${D}`, `nginx@${D}`],
    [`nginx:1.25@${D}`, `nginx:1.25@${D}`],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['docker.io/library/nginx', 'docker.io/library/nginx:latest'],
    ['[::1]:5000/app', '[::1]:5000/app:latest'],
  ])('%s → %s (text appended, no docker.io added)', (image, name) => {
    expect(kubeletImageName(image)).toBe(name);
  });

  it('throws the parse error for images the kubelet rejects', () => {
    expect(() => kubeletImageName('MyApp:v1')).toThrow(
      expect.objectContaining({ code: 'REF_NOT_LOWERCASE' }),
    );
  });
});

describe('kubeletInvalidImageMessage', () => {
  it('words the InspectFailed event as the kubelet does', () => {
    expect(kubeletInvalidImageMessage('MyApp:v1')).toBe(
      'Failed to apply default image tag "MyApp:v1": couldn\'t parse image name "MyApp:v1": invalid reference format: repository name (library/MyApp) must be lowercase',
    );
    expect(kubeletInvalidImageMessage('nginx:')).toBe(
      'Failed to apply default image tag "nginx:": couldn\'t parse image name "nginx:": invalid reference format',
    );
    expect(kubeletInvalidImageMessage('a"b\n')).toBe(
      'Failed to apply default image tag "a\\"b\\n": couldn\'t parse image name "a\\"b\\n": invalid reference format',
    );
  });

  it('is undefined for an image that parses', () => {
    expect(kubeletInvalidImageMessage('nginx')).toBeUndefined();
  });
});
