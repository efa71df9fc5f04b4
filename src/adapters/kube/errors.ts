import { isKubefreshError, KubefreshError, redact } from '../../errors/index.js';

/** What the adapter knows about a failed request: never headers, tokens or whole bodies. */
export interface RequestTarget {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** The API server URL. */
  readonly server: string;
  readonly context: string;
}

interface StatusBody {
  readonly kind?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
}

const HINT_REACH = 'is the cluster reachable? check --context, --kubeconfig and KUBECONFIG';

function statusMessage(body: unknown): StatusBody {
  if (typeof body === 'object' && body !== null && (body as StatusBody).kind === 'Status')
    return body as StatusBody;
  return {};
}

/**
 * Turns an HTTP error answer into a `KUBE_*` error whose message is the server's Status message
 * (kubectl shows the same text), never the headers or the raw body.
 */
export function statusError(status: number, body: unknown, target: RequestTarget): KubefreshError {
  const parsed = statusMessage(body);
  const message = redact(
    parsed.message ?? `the server answered HTTP ${status} to ${target.method} ${target.path}`,
  );
  const details = {
    status,
    reason: parsed.reason ?? null,
    method: target.method,
    path: target.path,
    server: target.server,
  };
  switch (status) {
    case 401:
      return new KubefreshError('KUBE_UNAUTHORIZED', `You must be logged in to the server (${message})`, {
        hint: `the credentials of context "${target.context}" were rejected; refresh them (kubeconfig user, token or exec plugin)`,
        details,
      });
    case 403:
      return new KubefreshError('KUBE_FORBIDDEN', message, {
        hint: `the user of context "${target.context}" lacks RBAC permission for this; check with: kubectl auth can-i`,
        details,
      });
    case 404:
      return new KubefreshError('KUBE_NOT_FOUND', message, {
        hint: 'check the name, the namespace (-n) and --context',
        details,
      });
    case 409:
      return new KubefreshError('KUBE_CONFLICT', message, {
        hint: 'the object changed while kubefresh was writing it; run the command again',
        details,
      });
    case 410:
      return new KubefreshError('KUBE_GONE', message, {
        hint: 'the watch position expired; list again',
        details,
      });
    case 504:
      return new KubefreshError('KUBE_TIMEOUT', message, {
        hint: 'the API server timed out; retry, or raise --request-timeout',
        details,
      });
    default:
      if (status >= 500) {
        return new KubefreshError('KUBE_SERVER_ERROR', `the API server failed (HTTP ${status}): ${message}`, {
          hint: 'the API server is unhealthy; retry, or check the control plane',
          details,
        });
      }
      return new KubefreshError(
        'KUBE_REQUEST_REJECTED',
        `the API server rejected ${target.method} ${target.path} (HTTP ${status}): ${message}`,
        {
          hint: 'run with -v for details',
          details,
        },
      );
  }
}

/** Turns a socket-level failure into KUBE_UNREACHABLE or KUBE_TIMEOUT, worded as kubectl words it. */
export function connectionError(error: unknown, target: RequestTarget, timedOut: boolean): KubefreshError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const host = hostOf(target.server);
  const details = { method: target.method, path: target.path, server: target.server, code: code ?? null };
  if (timedOut || code === 'ETIMEDOUT') {
    return new KubefreshError(
      'KUBE_TIMEOUT',
      `the request to the server ${host} timed out (${target.method} ${target.path})`,
      {
        hint: `${HINT_REACH}; or raise --request-timeout`,
        cause: error,
        details,
      },
    );
  }
  const what =
    code === 'ECONNREFUSED'
      ? `The connection to the server ${host} was refused - did you specify the right host or port?`
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `the server name ${host} does not resolve`
        : code === 'ECONNRESET' || code === 'EPIPE'
          ? `the connection to the server ${host} was closed before a response`
          : typeof (error as Error | undefined)?.message === 'string' &&
              /certificate|SSL|TLS/i.test((error as Error).message)
            ? `TLS error talking to the server ${host}: ${(error as Error).message}`
            : `cannot reach the server ${host}${code === undefined ? '' : ` (${code})`}`;
  return new KubefreshError('KUBE_UNREACHABLE', redact(what), { hint: HINT_REACH, cause: error, details });
}

/**
 * The kubeconfig's credentials could not be used: an exec plugin failed, or a certificate or key
 * is not PEM or the pair does not match. Nothing the plugin printed or the file holds is quoted:
 * either may carry a secret. The context and the field to look at are named instead.
 */
export function credentialError(
  error: unknown,
  target: RequestTarget,
  execCommand: string | undefined,
): KubefreshError {
  if (isKubefreshError(error)) return error;
  const message = (error as Error | undefined)?.message ?? '';
  const details = { context: target.context, server: target.server };
  if (execCommand !== undefined) {
    return new KubefreshError(
      'KUBE_CREDENTIALS',
      `the exec credential plugin "${execCommand}" of context "${target.context}" failed`,
      {
        hint: `run the plugin's command from the kubeconfig (users[].user.exec) yourself to see why; kubectl runs the same plugin`,
        details,
      },
    );
  }
  const what = /key values mismatch/i.test(message)
    ? 'its client certificate and client key do not belong together'
    : /PEM|no start line|base64|DECODER|ASN1|asn1|wrong tag|bad decrypt|unsupported/.test(message)
      ? 'a certificate or key in it is not valid PEM (certificate-authority-data, client-certificate-data or client-key-data, or the files they name)'
      : 'its TLS settings cannot be used';
  return new KubefreshError('KUBE_CREDENTIALS', `the kubeconfig of context "${target.context}": ${what}`, {
    hint: 'compare the file with what the cluster issued (on K3s: /etc/rancher/k3s/k3s.yaml)',
    details,
  });
}

function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

/**
 * Any failure from talking to a cluster → a `KUBE_*` KubefreshError. Accepts client-node's
 * `ApiException` (`{code, body}`; its message, which dumps headers and body, is never used),
 * socket errors, and KubefreshErrors (returned as they are).
 */
export function translateKubeError(error: unknown, target: RequestTarget): KubefreshError {
  if (isKubefreshError(error)) return error;
  const api = error as { code?: unknown; body?: unknown } | undefined;
  if (typeof api?.code === 'number' && api.code >= 300) {
    let body = api.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        body = undefined;
      }
    }
    return statusError(api.code, body, target);
  }
  return connectionError(error, target, false);
}
