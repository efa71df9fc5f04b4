import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildImage, buildMultiPlatformImage, type ImageSpec } from '../images/index.js';
import type { SimCluster } from './start.js';

/** What `sim node import` sends: a synthetic image to build and import on one node. */
export interface ImportRequest {
  readonly reference: string;
  readonly spec: ImageSpec;
  /** More than one: a multi-platform image (the node keeps its own platform's child). */
  readonly platforms?: readonly string[];
}

export interface AdminServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The cluster process's control endpoint on 127.0.0.1, for the CLI's other `sim` verbs: node image
 * caches live in this process, so `sim node images|import|rmi` and `sim stop` come through here.
 * `GET /status`, `GET|POST|DELETE /nodes/NODE/images[?reference=REF]`, `PUT /nodes/NODE/registries`
 * (`{"yaml": "<registries.yaml text>"}`), `POST /stop`.
 */
export async function startAdminServer(cluster: SimCluster, onStop: () => void): Promise<AdminServer> {
  const server = createServer((req, res) => {
    handle(cluster, onStop, req, res).catch((error: unknown) =>
      send(res, error instanceof RangeError ? 404 : 400, {
        error: (error as Error).message ?? String(error),
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

async function handle(cluster: SimCluster, onStop: () => void, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://admin');
  if (url.pathname === '/status' && req.method === 'GET') {
    return send(res, 200, {
      apiUrl: cluster.apiUrl,
      nodes: cluster.nodeNames.map((name) => {
        const node = cluster.node(name);
        return { name, role: node.role, architecture: node.architecture };
      }),
      pods: cluster.store.list('pods').items.length,
      deployments: cluster.store.list('deployments.apps').items.length,
    });
  }
  if (url.pathname === '/stop' && req.method === 'POST') {
    send(res, 202, { stopping: true });
    onStop();
    return;
  }
  const registries = /^\/nodes\/([^/]+)\/registries$/.exec(url.pathname);
  if (registries && req.method === 'PUT') {
    const node = cluster.node(decodeURIComponent(registries[1]!));
    const { yaml } = (await readJson(req)) as { yaml?: unknown };
    if (typeof yaml !== 'string')
      return send(res, 400, { error: 'expected {"yaml": "<registries.yaml text>"}' });
    try {
      node.applyRegistries(yaml);
    } catch (error) {
      // A file K3s would refuse: the node keeps the configuration it had.
      return send(res, 400, { error: (error as Error).message });
    }
    return send(res, 200, { node: node.name, applied: true });
  }
  const match = /^\/nodes\/([^/]+)\/images$/.exec(url.pathname);
  if (match) {
    const node = cluster.node(decodeURIComponent(match[1]!));
    if (req.method === 'GET') return send(res, 200, await node.images());
    if (req.method === 'POST') {
      const body = (await readJson(req)) as ImportRequest;
      const platforms = body.platforms ?? [];
      const artifact =
        platforms.length > 1
          ? buildMultiPlatformImage(body.spec, platforms)
          : buildImage({ ...body.spec, platform: platforms[0] ?? `linux/${node.architecture}` });
      return send(res, 201, await node.importImage(body.reference, artifact));
    }
    if (req.method === 'DELETE') {
      const reference = url.searchParams.get('reference') ?? '';
      return send(res, 200, { removed: await node.removeImage(reference) });
    }
  }
  send(res, 404, { error: `no admin route ${req.method} ${url.pathname}` });
}
