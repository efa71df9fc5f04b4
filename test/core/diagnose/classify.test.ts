import { describe, expect, it } from 'vitest';
import { classifyPullError, parseMissingConfig, pullErrorCause } from '../../../src/core/diagnose/index.js';

describe('classifyPullError (containerd substrings, semantics §6)', () => {
  it.each([
    ['failed to pull and unpack image "x": failed to resolve reference "x": x: not found', 'PULL_NOT_FOUND'],
    ['failed to pull and unpack image "x": no match for platform in manifest: not found', 'PULL_NOT_FOUND'],
    [
      'rpc error: code = NotFound desc = failed to pull and unpack image "x": manifest unknown',
      'PULL_NOT_FOUND',
    ],
    [
      'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
      'PULL_AUTH',
    ],
    ['unexpected status from HEAD request to https://r/v2/a/manifests/v1: 401 Unauthorized', 'PULL_AUTH'],
    ['unexpected status from HEAD request to https://r/v2/a/manifests/v1: 403 Forbidden', 'PULL_AUTH'],
    ['failed to authorize: failed to fetch anonymous token: unexpected status', 'PULL_AUTH'],
    [
      'failed to do request: Head "https://r/v2/": dial tcp: lookup r on 10.43.0.10:53: no such host',
      'PULL_UNREACHABLE',
    ],
    ['dial tcp 127.0.0.1:5000: connect: connection refused', 'PULL_UNREACHABLE'],
    ['dial tcp 10.0.0.9:443: i/o timeout', 'PULL_UNREACHABLE'],
    ['image pull failed for x because the registry is unavailable: dial', 'PULL_UNREACHABLE'],
    ['tls: failed to verify certificate: x509: certificate signed by unknown authority', 'PULL_TLS'],
    ['x509: certificate has expired or is not yet valid', 'PULL_TLS'],
    ['http: server gave HTTP response to HTTPS client', 'PULL_HTTP_TO_HTTPS'],
    [
      'unexpected status code https://r/v2/: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit',
      'PULL_RATE_LIMITED',
    ],
    ['something else entirely', undefined],
  ])('%s → %s', (text, code) => {
    expect(classifyPullError(text)).toBe(code);
  });

  it('strips containerd wrappers down to the cause', () => {
    expect(
      pullErrorCause(
        'Failed to pull image "a": rpc error: code = Unknown desc = failed to pull and unpack image "a": failed to resolve reference "a": a: not found',
      ),
    ).toBe('a: not found');
  });
});

describe('parseMissingConfig', () => {
  it.each([
    [
      "couldn't find key LEVEL in ConfigMap prod/settings",
      { kind: 'ConfigMap', namespace: 'prod', name: 'settings', key: 'LEVEL' },
    ],
    ["couldn't find key pw in Secret prod/db", { kind: 'Secret', namespace: 'prod', name: 'db', key: 'pw' }],
    ['configmap "settings" not found', { kind: 'ConfigMap', name: 'settings' }],
    ['secret "db" not found', { kind: 'Secret', name: 'db' }],
    [
      'MountVolume.SetUp failed for volume "cfg" : configmap "settings" not found',
      { kind: 'ConfigMap', name: 'settings', volume: 'cfg' },
    ],
    ['no such thing', undefined],
  ])('%s', (text, want) => {
    expect(parseMissingConfig(text)).toEqual(want);
  });
});
