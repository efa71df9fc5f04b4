import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../src/core/image-ref/index.js';
import { endpointsFor, isLoopbackHost, type RegistriesConfig } from '../../../src/sim/kubelet/index.js';

const urls = (image: string, config?: RegistriesConfig) =>
  endpointsFor(parseImageRef(image), config).map(
    (e) => `${e.scheme}://${e.host}${e.apiPath}/${e.repository}`,
  );

describe('endpointsFor (registries.yaml as K3s configures containerd)', () => {
  it.each([
    ['nginx:1.25', undefined, ['https://registry-1.docker.io/v2/library/nginx']],
    ['localhost:5000/app:v1', undefined, ['http://localhost:5000/v2/app']],
    ['127.0.0.1:5000/app:v1', undefined, ['http://127.0.0.1:5000/v2/app']],
    ['localhost:443/app:v1', undefined, ['https://localhost:443/v2/app']],
    ['registry.example.com:5000/team/app:v1', undefined, ['https://registry.example.com:5000/v2/team/app']],
    [
      'docker.io/library/nginx:1.25',
      { mirrors: { 'docker.io': { endpoint: ['http://mirror.local:5000'] } } },
      ['http://mirror.local:5000/v2/library/nginx', 'https://registry-1.docker.io/v2/library/nginx'],
    ],
    [
      'nginx:1.25',
      { mirrors: { 'docker.io': { endpoint: ['mirror.local'] } }, disableDefaultEndpoint: true },
      ['https://mirror.local/v2/library/nginx'],
    ],
    [
      'ghcr.io/org/app:v1',
      { mirrors: { '*': { endpoint: ['http://cache.local:5000/ghcr'] } } },
      ['http://cache.local:5000/ghcr/v2/org/app', 'https://ghcr.io/v2/org/app'],
    ],
    [
      'docker.io/library/nginx:1.25',
      { mirrors: { 'docker.io': { endpoint: ['http://m:5000'], rewrite: { '^library/(.*)': 'hub/$1' } } } },
      ['http://m:5000/v2/hub/nginx', 'https://registry-1.docker.io/v2/library/nginx'],
    ],
  ] as const)('%s with %j', (image, config, expected) => {
    expect(urls(image, config as RegistriesConfig | undefined)).toEqual(expected);
  });

  it('knows loopback hosts the way containerd does', () => {
    expect(
      ['localhost', 'localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000'].map(isLoopbackHost),
    ).toEqual([true, true, true, true, true]);
    expect(['registry.local:5000', '10.0.0.2:5000', 'localhost.example.com'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
