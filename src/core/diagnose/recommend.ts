import type { Remedy } from '../findings/index.js';
import { isLoopbackRegistry } from '../image-ref/index.js';
import { type Argv, comment, shellCommand } from '../shell/index.js';
import type { MissingConfig } from './classify.js';
import { CODE_INFO, type DoctorCode } from './codes.js';

/** The facts a remedy's commands are filled in from. */
export interface RemedyContext {
  /** `Deployment`, `StatefulSet`, `DaemonSet` or `Pod`. */
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly container?: string;
  /** The image as the spec writes it. */
  readonly specImage?: string;
  /** The spec image pinned to the registry's current digest (`repo:tag@sha256:…`). */
  readonly pinnedImage?: string;
  /** Registry host of the spec image (`127.0.0.1:5000`, `docker.io`). */
  readonly registryHost?: string;
  /** Fully qualified repository (`127.0.0.1:5000/team/app`). */
  readonly repository?: string;
  /** Nodes the finding is about (per-node commands). */
  readonly nodes?: readonly string[];
  /** For a loopback registry: a host:port every node can reach, when one is known. */
  readonly reachableRegistry?: string;
  readonly missing?: MissingConfig;
  /** One affected pod (for `kubectl logs`/`describe`). */
  readonly pod?: string;
  /** The workload has an earlier revision to roll back to. */
  readonly canRollBack?: boolean;
  /** The container's current memory limit (`128Mi`), if any. */
  readonly memoryLimit?: string;
  /** The stored pull policy. */
  readonly pullPolicy?: string;
}

/** `-n NAMESPACE` when the finding has one. */
function ns(context: RemedyContext): Argv {
  return context.namespace === undefined ? [] : ['-n', context.namespace];
}

function target(context: RemedyContext): string {
  return `${context.kind.toLowerCase()}/${context.name}`;
}

/** A pasteable command: the workload's values are single words of the argv, never shell text. */
const cmd = (...argv: Argv): string => shellCommand(argv);

function setImage(context: RemedyContext, image: string): string {
  return cmd(
    'kubectl',
    'set',
    'image',
    ...ns(context),
    target(context),
    `${context.container ?? '*'}=${image}`,
  );
}

function pin(context: RemedyContext): string[] {
  return context.pinnedImage === undefined ? [] : [setImage(context, context.pinnedImage)];
}

function deploy(context: RemedyContext): string[] {
  if (context.kind === 'Pod' || context.repository === undefined) return [];
  return [cmd('kubefresh', 'deploy', ...ns(context), target(context), '--image', context.repository)];
}

/** What the user writes for a registry they choose; the scenario tests fill it in. */
const SOME_REGISTRY = '<registry every node reaches>';

/** The repository path without its registry host (`team/app`; Docker Hub's `library/` dropped). */
function repositoryPath(context: RemedyContext): string | undefined {
  const repository = context.repository;
  if (repository === undefined) return undefined;
  if (repository.startsWith('docker.io/library/')) return repository.slice('docker.io/library/'.length);
  const host = context.registryHost;
  return host !== undefined && repository.startsWith(`${host}/`)
    ? repository.slice(host.length + 1)
    : repository;
}

/** Builds from source and pushes to a registry the user picks, then deploys by digest. */
function deployElsewhere(context: RemedyContext): string[] {
  const path = repositoryPath(context);
  if (context.kind === 'Pod' || path === undefined) return [];
  return [cmd('kubefresh', 'deploy', ...ns(context), target(context), '--image', `${SOME_REGISTRY}/${path}`)];
}

/**
 * For an image that never was in a registry (imported into a node): push it somewhere every node
 * pulls from. An unqualified name is Docker Hub's `library/…`, where nobody pushes their own build,
 * so the registry is left for the user to fill in.
 */
function deployImported(context: RemedyContext): string[] {
  const repository = context.repository;
  if (repository === undefined || !repository.startsWith('docker.io/library/')) return deploy(context);
  return deployElsewhere(context);
}

/**
 * A registry the nodes cannot reach (no such host, refused, timed out). Asking that registry for a
 * digest fixes nothing; what does is an image on a registry every node reaches, or a K3s mirror that
 * sends this host's pulls there. A localhost registry is reachable from its own node, so there the
 * mirror is the fix and its endpoint is often known.
 */
function unreachable(context: RemedyContext): string[] {
  const host = context.registryHost;
  if (host === undefined) return [];
  if (isLoopbackRegistry(host)) return [localhostMirrorSnippet(host, context.reachableRegistry)];
  return [...deployElsewhere(context), mirrorSnippet(host, `https://${SOME_REGISTRY}`)];
}

function undo(context: RemedyContext): string[] {
  return context.canRollBack && context.kind !== 'Pod'
    ? [cmd('kubectl', 'rollout', 'undo', ...ns(context), target(context))]
    : [];
}

/**
 * A K3s `registries.yaml` entry as a command that is safe to paste: it creates the file only when
 * there is none, because appending a second `mirrors:` or `configs:` key makes K3s refuse the file.
 */
function registriesYamlCommand(restart: string, body: readonly string[]): string {
  return [
    '# on every node; where /etc/rancher/k3s/registries.yaml exists, merge this entry into it instead',
    "test -e /etc/rancher/k3s/registries.yaml || sudo tee /etc/rancher/k3s/registries.yaml <<'EOF'",
    ...body,
    'EOF',
    `# then: ${restart}`,
  ].join('\n');
}

/**
 * A double-quoted YAML scalar (JSON's escapes are YAML's), so no value can hold a newline that would
 * end the heredoc early, whatever a registry name from the cluster contains.
 */
function yamlString(text: string): string {
  return JSON.stringify(text).replace(/[\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
}

const RESTART_K3S = 'sudo systemctl restart k3s (servers) or k3s-agent (agents)';

/** A K3s `registries.yaml` mirror: pulls of `registry` go to `endpoint` (a URL). */
function mirrorSnippet(registry: string, endpoint: string): string {
  return registriesYamlCommand(RESTART_K3S, [
    'mirrors:',
    `  ${yamlString(registry)}:`,
    '    endpoint:',
    `      - ${yamlString(endpoint)}`,
  ]);
}

/** The K3s `registries.yaml` mirror that makes a node-local `localhost:5000` name reach one registry. */
export function localhostMirrorSnippet(registry: string, reachable: string | undefined): string {
  const endpoint = reachable ?? `<host-every-node-reaches>:${registry.split(':').at(-1) ?? '5000'}`;
  return mirrorSnippet(registry, `http://${endpoint}`);
}

function httpMirrorSnippet(registry: string): string {
  return mirrorSnippet(registry, `http://${registry}`);
}

function caSnippet(registry: string): string {
  return registriesYamlCommand(RESTART_K3S, [
    'configs:',
    `  ${yamlString(registry)}:`,
    '    tls:',
    '      ca_file: /etc/rancher/k3s/registry-ca.crt',
  ]);
}

/** A strategic-merge patch as one argv word: `-p '{"spec":…}'`. */
function patchArgs(patch: unknown): Argv {
  return ['-p', JSON.stringify(patch)];
}

const PULL_SECRET = { imagePullSecrets: [{ name: 'regcred' }] };

function pullSecret(context: RemedyContext): string[] {
  const server = context.registryHost ?? '<registry>';
  const create = cmd(
    'kubectl',
    'create',
    'secret',
    'docker-registry',
    'regcred',
    ...ns(context),
    `--docker-server=${server}`,
    '--docker-username=<user>',
    '--docker-password=<password>',
  );
  // A service account's pull secrets reach only pods admitted after the patch; the template patch
  // rolls the workload out, so its new pods carry the secret.
  if (context.kind === 'Pod')
    return [
      create,
      cmd('kubectl', 'patch', 'serviceaccount', 'default', ...ns(context), ...patchArgs(PULL_SECRET)),
    ];
  return [
    create,
    cmd(
      'kubectl',
      'patch',
      ...ns(context),
      target(context),
      ...patchArgs({ spec: { template: { spec: PULL_SECRET } } }),
    ),
  ];
}

function configCommands(context: RemedyContext): string[] {
  const missing = context.missing;
  if (missing === undefined)
    return context.pod === undefined ? [] : [cmd('kubectl', 'describe', 'pod', ...ns(context), context.pod)];
  const where = ['-n', missing.namespace ?? context.namespace ?? 'default'];
  const key = missing.key ?? 'KEY';
  if (missing.key !== undefined && missing.kind === 'ConfigMap') {
    return [
      cmd(
        'kubectl',
        'patch',
        'configmap',
        missing.name,
        ...where,
        '--type',
        'merge',
        ...patchArgs({ data: { [key]: '<value>' } }),
      ),
    ];
  }
  if (missing.key !== undefined) {
    return [
      cmd(
        'kubectl',
        'patch',
        'secret',
        missing.name,
        ...where,
        '--type',
        'merge',
        ...patchArgs({ stringData: { [key]: '<value>' } }),
      ),
    ];
  }
  return missing.kind === 'ConfigMap'
    ? [cmd('kubectl', 'create', 'configmap', missing.name, ...where, `--from-literal=${key}=<value>`)]
    : [
        cmd(
          'kubectl',
          'create',
          'secret',
          'generic',
          missing.name,
          ...where,
          `--from-literal=${key}=<value>`,
        ),
      ];
}

function rmiPerNode(context: RemedyContext): string[] {
  if (context.specImage === undefined) return [];
  const rmi = cmd('k3s', 'crictl', 'rmi', context.specImage);
  return (context.nodes ?? []).map((node) => `${rmi}  ${comment(`on node ${node}`)}`);
}

function doubled(limit: string | undefined): string {
  const match = limit === undefined ? null : /^(\d+)(Ki|Mi|Gi)?$/.exec(limit);
  return match ? `${Number(match[1]) * 2}${match[2] ?? ''}` : '<more>';
}

/** The recommend table: code → remedy text and filled-in commands. */
const RECOMMEND: Readonly<Record<DoctorCode, (context: RemedyContext) => readonly string[]>> = {
  OK_PINNED: () => [],
  OK_CURRENT: pin,
  STALE_TAG_MOVED: pin,
  MIXED_DIGESTS: pin,
  // Pinning makes nodes pull by digest; only with Never (nothing is pulled) must the cache go.
  STALE_NODE_CACHE: (c) => [...pin(c), ...(c.pullPolicy === 'Never' ? rmiPerNode(c) : [])],
  NOT_IN_REGISTRY: deploy,
  LOCAL_IMPORT: (c) => (c.pinnedImage === undefined ? deployImported(c) : pin(c)),
  UNVERIFIABLE: (c) => (c.specImage === undefined ? [] : [cmd('kubefresh', 'digest', c.specImage)]),
  POLICY_RISK: pin,
  PULL_NOT_FOUND: (c) => [...undo(c), ...deploy(c)],
  PULL_AUTH: pullSecret,
  PULL_UNREACHABLE: unreachable,
  PULL_TLS: (c) => (c.registryHost === undefined ? [] : [caSnippet(c.registryHost)]),
  PULL_HTTP_TO_HTTPS: (c) => (c.registryHost === undefined ? [] : [httpMirrorSnippet(c.registryHost)]),
  PULL_RATE_LIMITED: pullSecret,
  // The policy first: a deploy while it is still Never fails on every node without the image.
  PULL_NEVER_NOT_PRESENT: (c) => [
    ...(c.kind === 'Pod'
      ? []
      : [
          cmd(
            'kubectl',
            'patch',
            ...ns(c),
            target(c),
            ...patchArgs({
              spec: {
                template: { spec: { containers: [{ name: c.container, imagePullPolicy: 'IfNotPresent' }] } },
              },
            }),
          ),
        ]),
    ...deployImported(c),
  ],
  INVALID_IMAGE_NAME: (c) => (c.specImage === undefined ? [] : [cmd('kubefresh', 'ref', c.specImage)]),
  CONFIG_MISSING: configCommands,
  CRASH_LOOP: (c) => [
    ...(c.pod === undefined
      ? []
      : [cmd('kubectl', 'logs', ...ns(c), c.pod, '-c', c.container ?? '', '--previous')]),
    ...undo(c),
  ],
  OOM_KILLED: (c) =>
    c.kind === 'Pod'
      ? []
      : [
          cmd(
            'kubectl',
            'set',
            'resources',
            ...ns(c),
            target(c),
            '-c',
            c.container ?? '',
            `--limits=memory=${doubled(c.memoryLimit)}`,
          ),
        ],
  UNSCHEDULABLE: (c) => [
    ...(c.pod === undefined ? [] : [cmd('kubectl', 'describe', 'pod', ...ns(c), c.pod)]),
    cmd('kubectl', 'get', 'nodes', '-o', 'wide'),
  ],
  ROLLOUT_STUCK: (c) => [...undo(c), cmd('kubectl', 'rollout', 'status', ...ns(c), target(c))],
  ROLLOUT_IN_PROGRESS: (c) =>
    c.kind === 'Pod' ? [] : [cmd('kubectl', 'rollout', 'status', ...ns(c), target(c))],
};

/** The remedy for `code`: the code table's sentence and the commands filled in from `context`. */
export function recommend(code: DoctorCode, context: RemedyContext): Remedy {
  return { text: CODE_INFO[code].remedy, commands: [...RECOMMEND[code](context)] };
}
