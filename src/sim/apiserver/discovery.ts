import { ALL_VERBS, apiVersionOf, GROUP_VERSIONS, RESOURCES, type ResourceInfo } from './resources.js';

/** What `/version` reports: a K3s v1.32 server. */
export interface VersionInfo {
  readonly gitVersion: string;
  readonly platform: string;
}

export const DEFAULT_VERSION: VersionInfo = { gitVersion: 'v1.32.5+k3s1', platform: 'linux/amd64' };

export function versionDocument(version: VersionInfo): Record<string, string> {
  const [, major = '1', minor = '32'] = /^v(\d+)\.(\d+)/.exec(version.gitVersion) ?? [];
  return {
    major,
    minor,
    gitVersion: version.gitVersion,
    gitCommit: '8e8f2a4726f7cb6a0a0c4d0d5d1e0f4f1c2a3b4c',
    gitTreeState: 'clean',
    buildDate: '2025-05-27T15:33:19Z',
    goVersion: 'go1.23.8',
    compiler: 'gc',
    platform: version.platform,
  };
}

/**
 * Legacy (unaggregated) discovery. kubectl 1.30+ first asks for aggregated discovery
 * (`as=APIGroupDiscoveryList`); answering plain `application/json` makes it fall back to these
 * per-group-version documents, which every kubectl version understands.
 */
export function coreVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDocument(group: string): Record<string, unknown> {
  const versions = GROUP_VERSIONS.filter((g) => g.group === group).map((g) => ({
    groupVersion: `${g.group}/${g.version}`,
    version: g.version,
  }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function groupList(): Record<string, unknown> {
  const groups = [...new Set(GROUP_VERSIONS.map((g) => g.group))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupDocument) };
}

export function group(name: string): Record<string, unknown> | undefined {
  if (!GROUP_VERSIONS.some((g) => g.group === name)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(name) };
}

function resourceEntries(info: ResourceInfo): Record<string, unknown>[] {
  const entries: Record<string, unknown>[] = [
    {
      name: info.plural,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: info.plural === 'namespaces' ? ALL_VERBS.filter((v) => v !== 'deletecollection') : ALL_VERBS,
      ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
      ...(info.categories.length ? { categories: info.categories } : {}),
      storageVersionHash: storageVersionHash(info),
    },
  ];
  for (const sub of info.subresources) {
    if (sub === 'log')
      entries.push({
        name: `${info.plural}/log`,
        singularName: '',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get'],
      });
    if (sub === 'status') {
      entries.push({
        name: `${info.plural}/status`,
        singularName: '',
        namespaced: info.namespaced,
        kind: info.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (sub === 'scale') {
      entries.push({
        name: `${info.plural}/scale`,
        singularName: '',
        namespaced: true,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return entries;
}

/** `APIResourceList` for one group version (`''`/`v1` for core), or undefined if not served. */
export function resourceList(groupName: string, version: string): Record<string, unknown> | undefined {
  const infos = RESOURCES.filter((r) => r.group === groupName && r.version === version);
  if (!infos.length) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(infos[0]!),
    resources: infos.flatMap(resourceEntries),
  };
}

/** A stable 8-byte base64 tag, like the real server's hash of the storage version. */
function storageVersionHash(info: ResourceInfo): string {
  let hash = 0x811c9dc5;
  for (const ch of `${info.group}/${info.version}/${info.kind}`)
    hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  return Buffer.from([
    hash >>> 24,
    (hash >>> 16) & 255,
    (hash >>> 8) & 255,
    hash & 255,
    0x6b,
    0x33,
    0x73,
    0x31,
  ]).toString('base64');
}
