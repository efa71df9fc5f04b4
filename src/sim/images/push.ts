import { KubefreshError } from '../../errors/index.js';
import { InProcessRegistry } from '../registry/registry.js';
import { type BuiltArtifact, blobsOf, manifestsOf } from './build.js';

/** Where to push: a base URL (`http://127.0.0.1:5000`), a started registry, or an in-process one. */
export type PushTarget = string | { readonly url: string } | InProcessRegistry;

export interface PushOptions {
  /** Credentials for Basic auth or for the token endpoint of a Bearer challenge. */
  readonly credentials?: { readonly username: string; readonly password: string };
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** What was pushed. */
export interface PushResult {
  /** The digest the tag now names (the index digest for a multi-platform image). */
  readonly digest: string;
  readonly mediaType: string;
  /** Requests made; 0 for an in-process push. */
  readonly requests: number;
}

function challengeParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) params[match[1]!] = match[2]!;
  return params;
}

/**
 * Pushes an image or index to a registry under a tag, the way `docker push` does: blobs first
 * (skipping those the registry has), then child manifests by digest, then the tag. Over HTTP it uses
 * plain PUTs (POST + PUT per blob) that any distribution registry accepts, and answers Basic or
 * Bearer challenges with `credentials`. An {@link InProcessRegistry} is written directly.
 */
export async function pushImage(
  target: PushTarget,
  repository: string,
  tag: string,
  artifact: BuiltArtifact,
  options: PushOptions = {},
): Promise<PushResult> {
  if (target instanceof InProcessRegistry) {
    for (const b of blobsOf(artifact)) target.pushBlob(repository, b.bytes);
    for (const m of manifestsOf(artifact)) {
      target.pushManifest(repository, m === artifact ? tag : m.digest, m.bytes, m.mediaType);
    }
    return { digest: artifact.digest, mediaType: artifact.mediaType, requests: 0 };
  }
  const base = (typeof target === 'string' ? target : target.url).replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  let authorization: string | undefined;
  let requests = 0;

  const authenticate = async (challenge: string): Promise<boolean> => {
    const credentials = options.credentials;
    if (/^Basic/i.test(challenge)) {
      if (!credentials) return false;
      authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
      return true;
    }
    const params = challengeParams(challenge);
    if (!/^Bearer/i.test(challenge) || !params.realm) return false;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.append('scope', `repository:${repository}:pull,push`);
    const headers: Record<string, string> = credentials
      ? {
          Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
        }
      : {};
    requests++;
    const answer = await doFetch(url, { headers });
    if (!answer.ok) return false;
    const body = (await answer.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    authorization = token ? `Bearer ${token}` : undefined;
    return token !== undefined;
  };

  const call = async (
    method: string,
    url: string,
    body?: Buffer,
    contentType?: string,
  ): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {};
      if (authorization) headers.Authorization = authorization;
      if (contentType) headers['Content-Type'] = contentType;
      requests++;
      const response = await doFetch(url, { method, headers, ...(body ? { body } : {}) });
      const challenge = response.headers.get('www-authenticate');
      if (response.status === 401 && challenge && attempt === 0 && (await authenticate(challenge))) {
        await response.arrayBuffer();
        continue;
      }
      return response;
    }
  };

  const expect = async (response: Response, ok: number[], what: string): Promise<Response> => {
    if (ok.includes(response.status)) return response;
    const text = (await response.text()).slice(0, 500);
    throw new KubefreshError(
      'SIM_PUSH_FAILED',
      `pushing ${repository}:${tag} to ${base}: ${what} answered ${response.status}${text ? `: ${text}` : ''}`,
      { hint: 'check that the registry is running and that the credentials (if any) allow push' },
    );
  };

  try {
    for (const b of blobsOf(artifact)) {
      const blobUrl = `${base}/v2/${repository}/blobs/${b.digest}`;
      const head = await call('HEAD', blobUrl);
      if (head.status === 200) continue;
      const started = await expect(
        await call('POST', `${base}/v2/${repository}/blobs/uploads/`),
        [202],
        'starting an upload',
      );
      await started.arrayBuffer();
      const location = new URL(started.headers.get('location') ?? '', `${base}/`);
      location.searchParams.set('digest', b.digest);
      const put = await call('PUT', location.toString(), b.bytes, 'application/octet-stream');
      await (await expect(put, [201], `uploading blob ${b.digest}`)).arrayBuffer();
    }
    for (const m of manifestsOf(artifact)) {
      const reference = m === artifact ? tag : m.digest;
      const put = await call('PUT', `${base}/v2/${repository}/manifests/${reference}`, m.bytes, m.mediaType);
      await (await expect(put, [201], `putting manifest ${reference}`)).arrayBuffer();
    }
  } catch (error) {
    if (error instanceof KubefreshError) throw error;
    throw new KubefreshError(
      'SIM_PUSH_FAILED',
      `pushing ${repository}:${tag} to ${base} failed: ${String(error)}`,
      {
        cause: error,
        hint: 'is the registry running and reachable?',
      },
    );
  }
  return { digest: artifact.digest, mediaType: artifact.mediaType, requests };
}
