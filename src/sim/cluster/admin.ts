import { randomBytes, timingSafeEqual } from 'node:crypto';
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
  /** The secret every request must send as `Authorization: Bearer …` (kept in the 0600 state file). */
  readonly token: string;
  close(): Promise<void>;
}

/**
 * The cluster process's control endpoint on 127.0.0.1, for the CLI's other `sim` verbs: node image
 * caches live in this process, so `sim node images|import|rmi` and `sim stop` come through here.
 * `GET /status`, `GET|POST|DELETE /nodes/NODE/images[?reference=REF]`, `PUT /nodes/NODE/registries`
 * (`{"yaml": "<registries.yaml text>"}`), `POST /stop`.
 *
 * Any local process, and any web page through the browser, can reach 127.0.0.1; so every request
 * must carry the per-cluster secret, name this endpoint in its Host header (no DNS rebinding), and
 * not come from a browser (no Origin, no Sec-Fetch headers: a page cannot stop the cluster).
 */
export async function startAdminServer(cluster: SimCluster, onStop: () => void): Promise<AdminServer> {
  const token = randomBytes(32).toString('hex');
  let port = 0;
  const server = createServer((req, res) => {
    const refused = refusal(req, token, port);
    if (refused !== undefined) return send(res, refused.status, { error: refused.error });
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
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Why a request is not let in, or undefined when it may be. */
function refusal(
  req: IncomingMessage,
  token: string,
  port: number,
): { status: number; error: string } | undefined {
  const host = req.headers.host ?? '';
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
    return { status: 403, error: `the admin endpoint answers only to Host 127.0.0.1:${port}` };
  if (req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined)
    return { status: 403, error: 'the admin endpoint does not answer browsers' };
  const sent = Buffer.from(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected))
    return { status: 401, error: 'the admin endpoint needs the token from the sim state file' };
  return undefined;
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
