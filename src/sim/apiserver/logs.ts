import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ObjectStore } from '../store/index.js';
import { errors } from './status.js';

/** What `kubectl logs` asks for; the source applies these (the server also trims to tailLines). */
export interface LogOptions {
  readonly previous: boolean;
  readonly tailLines?: number | undefined;
  readonly sinceSeconds?: number | undefined;
  readonly timestamps: boolean;
}

/**
 * Why a log cannot be served, with the kubelet's wording, e.g. `previous terminated container
 * "app" in pod "web-1" not found` or `container "app" in pod "web-1" is waiting to start:
 * ContainerCreating`. The server answers 400 BadRequest with it, as the real one does.
 */
export interface LogNotFound {
  readonly notFound: string;
}

/** Where container logs come from (the kubelets): the whole log text so far, or why there is none. */
export type LogSource = (
  namespace: string,
  pod: string,
  container: string,
  options: LogOptions,
) => string | LogNotFound | Promise<string | LogNotFound>;

const FOLLOW_POLL_MS = 100;

/** Picks the container a log request means, with the real errors when it is ambiguous or wrong. */
export function containerFor(pod: KubeObject, requested: string | null): string {
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[] };
  const names = (spec.containers ?? []).map((c) => c.name);
  const inits = (spec.initContainers ?? []).map((c) => c.name);
  if (requested) {
    if (!names.includes(requested) && !inits.includes(requested)) {
      throw errors.badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    }
    return requested;
  }
  if (names.length === 1) return names[0]!;
  throw errors.badRequest(
    `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]${
      inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''
    }`,
  );
}

function tail(text: string, lines: number | undefined): string {
  if (lines === undefined || lines < 0) return text;
  if (lines === 0) return '';
  const parts = text.split('\n');
  const trailing = parts[parts.length - 1] === '' ? parts.pop() : undefined;
  return parts.slice(-lines).join('\n') + (trailing === undefined ? '' : '\n');
}

/** Serves `GET …/pods/<name>/log`; with `follow` it streams new output until the pod goes away. */
export async function serveLogs(
  req: IncomingMessage,
  res: ServerResponse,
  store: ObjectStore,
  source: LogSource,
  pod: KubeObject,
  query: URLSearchParams,
): Promise<void> {
  const container = containerFor(pod, query.get('container'));
  const number = (name: string) => {
    const raw = query.get(name);
    if (raw === null || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value)) throw errors.badRequest(`invalid value for ${name}: "${raw}"`);
    return value;
  };
  const options: LogOptions = {
    previous: query.get('previous') === 'true',
    tailLines: number('tailLines'),
    sinceSeconds: number('sinceSeconds'),
    timestamps: query.get('timestamps') === 'true',
  };
  const namespace = pod.metadata.namespace ?? 'default';
  const follow = query.get('follow') === 'true' && !options.previous;
  // a follower needs the whole text to tell later output apart; the tail is cut here instead
  const first = await source(
    namespace,
    pod.metadata.name,
    container,
    follow ? { ...options, tailLines: undefined } : options,
  );
  if (typeof first !== 'string') throw errors.badRequest(first.notFound);
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.write(tail(first, options.tailLines));
  if (!follow) {
    res.end();
    return;
  }
  let sent = first;
  let closed = false;
  req.on('close', () => {
    closed = true;
  });
  const uid = pod.metadata.uid;
  while (!closed) {
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
    const current = store.get('pods', namespace, pod.metadata.name);
    if (!current || current.metadata.uid !== uid) break;
    const next = await source(namespace, pod.metadata.name, container, { ...options, tailLines: undefined });
    if (typeof next !== 'string') break;
    if (next.startsWith(sent)) res.write(next.slice(sent.length));
    sent = next;
    if (terminated(current, container)) break;
  }
  res.end();
}

function terminated(pod: KubeObject, container: string): boolean {
  const statuses =
    (pod.status as { containerStatuses?: { name: string; state?: { terminated?: unknown } }[] } | undefined)
      ?.containerStatuses ?? [];
  return statuses.some((s) => s.name === container && s.state?.terminated !== undefined);
}
