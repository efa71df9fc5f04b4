import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubefreshError } from '../../errors/index.js';
import type {
  DeleteOptions,
  KubeClient,
  KubeList,
  KubeObject,
  KubeResource,
  ListOptions,
  LogOptions,
  PatchType,
  WatchEvent,
  WatchOptions,
} from '../../ports/kube.js';
import { type KubeconfigSource, loadKubeConfig } from './config.js';
import { connectionError, credentialError, type RequestTarget, statusError } from './errors.js';
import { RESOURCE_PATHS, resourcePath } from './resources.js';

export interface KubeClientOptions extends KubeconfigSource {
  /** `--request-timeout`: the limit for each request, in ms. Default: 0 (none), as kubectl. */
  readonly requestTimeoutMs?: number;
  /** Called once per HTTP request (method and path), for counting and `-v` output. */
  readonly onRequest?: (method: string, path: string) => void;
}

const PATCH_TYPES: Readonly<Record<PatchType, string>> = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
};

/** Time before a watch that ended (or failed to connect) is resumed. */
const WATCH_RETRY_MS = 500;

interface Response {
  readonly status: number;
  readonly body: Buffer;
}

/**
 * The KubeClient over HTTP: @kubernetes/client-node loads the kubeconfig and applies its auth
 * (client certificates, tokens, exec and auth-provider plugins, CA, proxy) to each request; the
 * requests themselves are plain JSON so objects reach `core/` exactly as the server sent them.
 * Errors become `KUBE_*` KubefreshErrors carrying only the server's Status message.
 */
export class HttpKubeClient implements KubeClient {
  readonly context: string;
  readonly server: string;
  readonly defaultNamespace: string;
  private readonly config: KubeConfig;
  private readonly timeoutMs: number;
  private readonly onRequest: ((method: string, path: string) => void) | undefined;

  constructor(options: KubeClientOptions = {}, config: KubeConfig = loadKubeConfig(options)) {
    this.config = config;
    this.context = config.getCurrentContext();
    this.server = config.getCurrentCluster()!.server.replace(/\/+$/, '');
    this.defaultNamespace = config.getContextObject(this.context)?.namespace ?? 'default';
    this.timeoutMs = options.requestTimeoutMs ?? 0;
    this.onRequest = options.onRequest;
  }

  async list<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options: ListOptions = {},
  ): Promise<KubeList<T>> {
    const body = await this.json<{ items?: T[]; metadata?: { resourceVersion?: string } }>(
      'GET',
      resourcePath(resource, options.namespace),
      selectors(options),
    );
    const kind = RESOURCE_PATHS[resource].kind;
    const apiVersion = RESOURCE_PATHS[resource].prefix === '/api/v1' ? 'v1' : 'apps/v1';
    // Lists omit kind/apiVersion on items; put them back so objects read alike however fetched.
    const items = (body.items ?? []).map((item) => ({ apiVersion, kind, ...item }) as T);
    return { items, resourceVersion: body.metadata?.resourceVersion ?? '' };
  }

  get<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
  ): Promise<T> {
    return this.json<T>('GET', resourcePath(resource, namespace ?? this.namespaceFor(resource), name), {});
  }

  patch<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    type: PatchType,
  ): Promise<T> {
    return this.json<T>(
      'PATCH',
      resourcePath(resource, namespace ?? this.namespaceFor(resource), name),
      {},
      {
        body: JSON.stringify(patch),
        contentType: PATCH_TYPES[type],
      },
    );
  }

  delete(
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<KubeObject> {
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...(options.uid === undefined ? {} : { preconditions: { uid: options.uid } }),
    };
    return this.json<KubeObject>(
      'DELETE',
      resourcePath(resource, namespace ?? this.namespaceFor(resource), name),
      {},
      { body: JSON.stringify(body), contentType: 'application/json' },
    );
  }

  async podLogs(namespace: string, pod: string, options: LogOptions = {}): Promise<string> {
    const query: Record<string, string> = {};
    if (options.container !== undefined) query.container = options.container;
    if (options.previous) query.previous = 'true';
    if (options.tailLines !== undefined) query.tailLines = String(options.tailLines);
    const response = await this.send('GET', `${resourcePath('pods', namespace, pod)}/log`, query);
    return response.body.toString('utf8');
  }

  async watch<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void,
  ): Promise<void> {
    const { signal } = options;
    let resourceVersion = options.resourceVersion;
    while (!signal?.aborted) {
      if (resourceVersion === undefined) {
        const fresh = await this.list<T>(resource, options);
        resourceVersion = fresh.resourceVersion;
        onEvent({ type: 'RESYNC', objects: fresh.items });
      }
      try {
        resourceVersion = await this.watchOnce<T>(resource, options, resourceVersion, onEvent);
      } catch (error) {
        if (signal?.aborted) return;
        if (error instanceof KubefreshError && error.code === 'KUBE_GONE') {
          resourceVersion = undefined;
          continue;
        }
        if (
          !(error instanceof KubefreshError) ||
          (error.code !== 'KUBE_UNREACHABLE' &&
            error.code !== 'KUBE_TIMEOUT' &&
            error.code !== 'KUBE_SERVER_ERROR')
        ) {
          throw error;
        }
        await delay(WATCH_RETRY_MS, signal);
      }
    }
  }

  /** One watch connection; resolves with the last resourceVersion seen when the server ends it. */
  private async watchOnce<T extends KubeObject>(
    resource: KubeResource,
    options: WatchOptions,
    from: string,
    onEvent: (event: WatchEvent<T>) => void,
  ): Promise<string> {
    const path = resourcePath(resource, options.namespace);
    const query = {
      ...selectors(options),
      watch: 'true',
      allowWatchBookmarks: 'true',
      resourceVersion: from,
    };
    const response = await this.open('GET', path, query, undefined, options.signal, false);
    let last = from;
    let buffer = '';
    let gone: KubefreshError | undefined;
    await new Promise<void>((resolve, reject) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line === '') continue;
          let event: { type?: string; object?: T & { code?: number } };
          try {
            event = JSON.parse(line);
          } catch {
            continue;
          }
          const object = event.object;
          if (event.type === 'ERROR') {
            gone = statusError(object?.code ?? 500, object, this.target('GET', path));
            response.destroy();
            continue;
          }
          const version = object?.metadata?.resourceVersion;
          if (typeof version === 'string' && version !== '') last = version;
          if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') {
            onEvent({ type: event.type, object: object as T });
          }
        }
      });
      response.on('end', resolve);
      response.on('close', resolve);
      response.on('error', (error) =>
        options.signal?.aborted ? resolve() : reject(connectionError(error, this.target('GET', path), false)),
      );
    });
    if (gone !== undefined) throw gone;
    return last;
  }

  private namespaceFor(resource: KubeResource): string | undefined {
    return RESOURCE_PATHS[resource].namespaced ? this.defaultNamespace : undefined;
  }

  private target(method: string, path: string): RequestTarget {
    return { method, path, server: this.server, context: this.context };
  }

  private async json<T>(
    method: string,
    path: string,
    query: Record<string, string>,
    payload?: { body: string; contentType: string },
  ): Promise<T> {
    const response = await this.send(method, path, query, payload);
    try {
      return JSON.parse(response.body.toString('utf8')) as T;
    } catch (error) {
      throw new KubefreshError(
        'KUBE_BAD_RESPONSE',
        `the server at ${this.server} answered ${method} ${path} with something other than JSON`,
        {
          hint: 'check that --context points at a Kubernetes API server',
          cause: error,
        },
      );
    }
  }

  private async send(
    method: string,
    path: string,
    query: Record<string, string>,
    payload?: { body: string; contentType: string },
  ): Promise<Response> {
    const response = await this.open(method, path, query, payload, undefined, true);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of response) chunks.push(chunk as Buffer);
    } catch (error) {
      throw connectionError(error, this.target(method, path), false);
    }
    return { status: response.statusCode ?? 0, body: Buffer.concat(chunks) };
  }

  /** Opens a request; HTTP errors are read and thrown as KUBE_* errors, success returns the stream. */
  private async open(
    method: string,
    path: string,
    query: Record<string, string>,
    payload: { body: string; contentType: string } | undefined,
    signal: AbortSignal | undefined,
    timed: boolean,
  ): Promise<IncomingMessage> {
    this.onRequest?.(method, path);
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const options: https.RequestOptions = { headers: {} };
    try {
      await this.config.applyToHTTPSOptions(options);
    } catch (error) {
      throw credentialError(error, this.target(method, path), this.config.getCurrentUser()?.exec?.command);
    }
    const headers: Record<string, string> = {
      ...(options.headers as Record<string, string>),
      accept: 'application/json',
    };
    if (options.auth) {
      headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
      delete options.auth;
    }
    if (payload !== undefined) {
      headers['content-type'] = payload.contentType;
      // Node sends a DELETE body neither chunked nor sized unless told its length.
      headers['content-length'] = String(Buffer.byteLength(payload.body));
    }
    const target = this.target(method, path);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<IncomingMessage>((resolve, reject) => {
      let timedOut = false;
      let request: http.ClientRequest;
      try {
        request = transport.request(url, { ...options, method, headers, ...(signal ? { signal } : {}) });
      } catch (error) {
        // A bad certificate or key fails here, while Node builds the TLS context.
        reject(credentialError(error, target, undefined));
        return;
      }
      const timer =
        timed && this.timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true;
              request.destroy(new Error('request timeout'));
            }, this.timeoutMs)
          : undefined;
      request.on('error', (error) => {
        if (timer) clearTimeout(timer);
        reject(connectionError(error, target, timedOut));
      });
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          response.on('end', () => timer && clearTimeout(timer));
          response.on('close', () => timer && clearTimeout(timer));
          resolve(response);
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          // Only the Status message is used; cap what is kept.
          if (chunks.reduce((n, c) => n + c.length, 0) < 64 * 1024) chunks.push(chunk);
        });
        response.on('end', () => {
          if (timer) clearTimeout(timer);
          let body: unknown;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            body = undefined;
          }
          reject(statusError(status, body, target));
        });
        response.on('error', (error) => reject(connectionError(error, target, timedOut)));
      });
      if (payload !== undefined) request.end(payload.body);
      else request.end();
    });
  }
}

function selectors(options: ListOptions): Record<string, string> {
  const query: Record<string, string> = {};
  if (options.labelSelector) query.labelSelector = options.labelSelector;
  if (options.fieldSelector) query.fieldSelector = options.fieldSelector;
  return query;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
