import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../../src/core/oci/index.js';

describe('parseWwwAuthenticate', () => {
  it.each([
    {
      name: 'Docker Hub bearer with a scope holding a comma',
      header:
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      want: [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:samalba/my-app:pull,push',
          },
        },
      ],
    },
    {
      name: 'Basic',
      header: 'Basic realm="Registry Realm"',
      want: [{ scheme: 'basic', params: { realm: 'Registry Realm' } }],
    },
    {
      name: 'two challenges in one header',
      header: 'Basic realm="x", Bearer realm="https://a/token",service="s"',
      want: [
        { scheme: 'basic', params: { realm: 'x' } },
        { scheme: 'bearer', params: { realm: 'https://a/token', service: 's' } },
      ],
    },
    {
      name: 'insufficient_scope error, spaces and case',
      header: 'BEARER  Realm = "https://a/token" , error="insufficient_scope"',
      want: [{ scheme: 'bearer', params: { realm: 'https://a/token', error: 'insufficient_scope' } }],
    },
    {
      name: 'escaped quotes',
      header: 'Basic realm="a \\"quoted\\" realm"',
      want: [{ scheme: 'basic', params: { realm: 'a "quoted" realm' } }],
    },
    {
      name: 'token68 then another challenge',
      header: 'Negotiate YII=, Basic realm="r"',
      want: [
        { scheme: 'negotiate', params: {} },
        { scheme: 'basic', params: { realm: 'r' } },
      ],
    },
    {
      name: 'unquoted values',
      header: 'Bearer realm=https://a/token,service=reg',
      want: [{ scheme: 'bearer', params: { realm: 'https://a/token', service: 'reg' } }],
    },
    { name: 'empty', header: '', want: [] },
    { name: 'garbage', header: '",,,=', want: [] },
  ])('$name', ({ header, want }) => {
    expect(parseWwwAuthenticate(header)).toEqual(want);
  });
});
