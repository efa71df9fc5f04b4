/**
 * The few API calls scenarios make, over HTTP as any client would, so the API server's defaulting,
 * generation bumps and validation apply exactly as they do to `kubectl`.
 */
export interface ScenarioApi {
  create(path: string, body: unknown): Promise<Record<string, unknown>>;
  /** Strategic merge patch, kubectl's default for built-in kinds. */
  patch(path: string, body: unknown): Promise<Record<string, unknown>>;
  get(path: string): Promise<Record<string, unknown>>;
}

export function scenarioApi(apiUrl: string): ScenarioApi {
  const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': type },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${String(json.message ?? '')}`);
    return json;
  };
  return {
    create: (path, body) => call('POST', path, body),
    patch: (path, body) => call('PATCH', path, body, 'application/strategic-merge-patch+json'),
    get: (path) => call('GET', path),
  };
}
