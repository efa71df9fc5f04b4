import type { Severity } from '../findings/index.js';

/** Every verdict `doctor` gives. Codes are stable: scripts match on them, so never rename one. */
export const DOCTOR_CODES = [
  'OK_PINNED',
  'OK_CURRENT',
  'STALE_TAG_MOVED',
  'MIXED_DIGESTS',
  'STALE_NODE_CACHE',
  'NOT_IN_REGISTRY',
  'LOCAL_IMPORT',
  'UNVERIFIABLE',
  'POLICY_RISK',
  'PULL_NOT_FOUND',
  'PULL_AUTH',
  'PULL_UNREACHABLE',
  'PULL_TLS',
  'PULL_HTTP_TO_HTTPS',
  'PULL_RATE_LIMITED',
  'PULL_NEVER_NOT_PRESENT',
  'INVALID_IMAGE_NAME',
  'CONFIG_MISSING',
  'CRASH_LOOP',
  'OOM_KILLED',
  'UNSCHEDULABLE',
  'ROLLOUT_STUCK',
  'ROLLOUT_IN_PROGRESS',
] as const;

export type DoctorCode = (typeof DOCTOR_CODES)[number];

/** How the summary line counts a workload whose worst finding has this code. */
export type Verdict = 'ok' | 'stale' | 'failing' | 'unverified' | 'risk' | 'progressing';

export interface CodeInfo {
  readonly severity: Severity;
  readonly verdict: Verdict;
  /** One line: what the code means. */
  readonly title: string;
  /** Why it happens and what the remedy does (docs/doctor-codes.md). */
  readonly explanation: string;
  /** The remedy in words; the commands are filled in per finding. */
  readonly remedy: string;
}

/** The code table: meaning, severity and remedy of each code. docs/doctor-codes.md is generated from it. */
export const CODE_INFO: Readonly<Record<DoctorCode, CodeInfo>> = {
  OK_PINNED: {
    severity: 'info',
    verdict: 'ok',
    title: 'pinned by digest, and every pod runs that digest',
    explanation:
      'The spec names the image by digest, so every node pulls exactly that content; each pod reports it.',
    remedy: 'nothing to do',
  },
  OK_CURRENT: {
    severity: 'info',
    verdict: 'ok',
    title: "mutable tag, but every pod runs the registry's current digest",
    explanation:
      'The tag could move, but today every pod runs what it points at (the index, the node platform child, or its config digest).',
    remedy: 'nothing to do now; pin the digest so it stays true',
  },
  STALE_TAG_MOVED: {
    severity: 'error',
    verdict: 'stale',
    title: 'the tag now points elsewhere; pods run the old digest',
    explanation:
      'Someone pushed new content under the same tag after the pods started. Restarting does not help with IfNotPresent: each node reuses its cached digest.',
    remedy: "pin the registry's current digest, which rolls the pods onto it",
  },
  MIXED_DIGESTS: {
    severity: 'error',
    verdict: 'stale',
    title: 'pods of one workload run different digests',
    explanation:
      'Node caches differ: each node resolved the tag when it first pulled it, so replicas run different code.',
    remedy: 'pin one digest so every node pulls the same content',
  },
  STALE_NODE_CACHE: {
    severity: 'warning',
    verdict: 'risk',
    title: 'a node caches an old digest under the tag',
    explanation:
      'The next pod scheduled on that node with IfNotPresent (or Never) starts the cached, old image.',
    remedy:
      'pin the digest (nodes then pull by digest); remove the cached tag only where pinning cannot help',
  },
  NOT_IN_REGISTRY: {
    severity: 'error',
    verdict: 'stale',
    title: 'running, but the registry does not have the tag or digest',
    explanation:
      'The image was built or imported on a node and never pushed: pods elsewhere, or after the cache is cleaned, cannot start.',
    remedy: 'push the image to a registry every node reaches and deploy it by digest',
  },
  LOCAL_IMPORT: {
    severity: 'warning',
    verdict: 'stale',
    title: 'pods run an imported image (bare sha256 imageID), not a pulled one',
    explanation:
      'containerd records no repo digest for images imported without a registry (k3s ctr images import, K3s image tarballs), so nothing ties the pod to registry content.',
    remedy: 'push the image and deploy it by digest',
  },
  UNVERIFIABLE: {
    severity: 'warning',
    verdict: 'unverified',
    title: 'the registry could not be asked, so freshness is unknown (never "OK")',
    explanation:
      'The registry was unreachable, refused the credentials, or failed; pods may or may not be current.',
    remedy: 'fix access to the registry and run doctor again',
  },
  POLICY_RISK: {
    severity: 'warning',
    verdict: 'risk',
    title: 'a moving tag with imagePullPolicy IfNotPresent or Never',
    explanation:
      'Consistent today, stale tomorrow: when the tag moves, nodes keep what they cached and new pods start old code.',
    remedy: 'pin the digest (or use a unique tag per build)',
  },
  PULL_NOT_FOUND: {
    severity: 'error',
    verdict: 'failing',
    title: 'the image cannot be pulled: the tag, digest or platform is not in the registry',
    explanation:
      'The kubelet asked the registry for a manifest it does not have (typo, never pushed, or no image for the node platform).',
    remedy: 'push the image, or point the spec at a tag that exists',
  },
  PULL_AUTH: {
    severity: 'error',
    verdict: 'failing',
    title: 'the registry refused the pull: credentials missing or wrong',
    explanation:
      'The node had no valid credentials for the repository (or the repository does not exist on Docker Hub).',
    remedy: 'create a docker-registry secret and reference it from the pod or its service account',
  },
  PULL_UNREACHABLE: {
    severity: 'error',
    verdict: 'failing',
    title: 'the node cannot reach the registry',
    explanation:
      'Connection refused, DNS or timeout from the node. A localhost registry is reachable only from the node it runs on.',
    remedy: 'use a registry host every node reaches (K3s: a registries.yaml mirror)',
  },
  PULL_TLS: {
    severity: 'error',
    verdict: 'failing',
    title: "the node does not trust the registry's certificate",
    explanation: 'x509 errors: unknown authority, wrong name or expired certificate.',
    remedy: 'give the nodes the CA (K3s: registries.yaml configs.<host>.tls.ca_file)',
  },
  PULL_HTTP_TO_HTTPS: {
    severity: 'error',
    verdict: 'failing',
    title: 'the registry speaks plain HTTP but the node used HTTPS',
    explanation:
      'containerd defaults to HTTPS; an HTTP registry needs an http:// endpoint in registries.yaml.',
    remedy:
      'add an http:// mirror endpoint for the registry in /etc/rancher/k3s/registries.yaml on every node',
  },
  PULL_RATE_LIMITED: {
    severity: 'error',
    verdict: 'failing',
    title: 'the registry rate limited the pull (HTTP 429)',
    explanation: 'Docker Hub limits anonymous pulls per IP; every node counts.',
    remedy: 'pull with credentials (an imagePullSecret), or mirror the image to your own registry',
  },
  PULL_NEVER_NOT_PRESENT: {
    severity: 'error',
    verdict: 'failing',
    title: 'imagePullPolicy Never and the image is not on the node',
    explanation:
      'With Never the kubelet only looks in the node cache; the image was imported on other nodes only.',
    remedy: 'push the image to a registry and use IfNotPresent with a digest',
  },
  INVALID_IMAGE_NAME: {
    severity: 'error',
    verdict: 'failing',
    title: 'the image reference does not parse',
    explanation: 'The kubelet rejects references outside the grammar (uppercase repository, bad digest…).',
    remedy: 'fix the image reference in the spec',
  },
  CONFIG_MISSING: {
    severity: 'error',
    verdict: 'failing',
    title: 'a ConfigMap, Secret or key the container needs is missing',
    explanation: 'CreateContainerConfigError (env) or FailedMount (volume): the container is never created.',
    remedy: 'create the missing object or key, or mark the reference optional',
  },
  CRASH_LOOP: {
    severity: 'error',
    verdict: 'failing',
    title: 'the container keeps crashing (CrashLoopBackOff)',
    explanation:
      'It starts and exits; the kubelet restarts it with growing back-off. The previous log says why.',
    remedy: 'read the previous log; roll back to the last good revision',
  },
  OOM_KILLED: {
    severity: 'error',
    verdict: 'failing',
    title: 'the container was killed for exceeding its memory limit (OOMKilled)',
    explanation: 'Exit 137 with reason OOMKilled: the memory limit is too low or the process leaks.',
    remedy: 'raise the memory limit or fix the leak',
  },
  UNSCHEDULABLE: {
    severity: 'error',
    verdict: 'failing',
    title: 'no node can take the pod',
    explanation: "The scheduler's message says why: resources, node selector, taints.",
    remedy: 'free or add capacity, or relax the node selector or tolerations',
  },
  ROLLOUT_STUCK: {
    severity: 'error',
    verdict: 'failing',
    title: 'the rollout exceeded its progress deadline',
    explanation: 'The new ReplicaSet made no progress for progressDeadlineSeconds (default 600).',
    remedy: 'fix the cause above, or roll back',
  },
  ROLLOUT_IN_PROGRESS: {
    severity: 'info',
    verdict: 'progressing',
    title: 'a rollout is in progress',
    explanation: 'Old and new pods coexist until the rollout finishes; their digests legitimately differ.',
    remedy: 'wait for it to finish',
  },
};
