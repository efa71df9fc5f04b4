import http from 'node:http';
import https from 'node:https';
import { hostOf, isLoopbackHost, portOf } from './registry-config.js';

/**
 * Which registries a node can reach. Real nodes each have their own loopback: `localhost:5000`
 * on the server is not `localhost:5000` on an agent. The simulation runs every node in one process
 * on one real loopback, so reachability is decided here before any connection is made.
 */
export interface NodeNetworkOptions {
  /** Loopback ports of registries "running on this node" (reachable as localhost/127.0.0.1/[::1]). */
  readonly localRegistryPorts?: Iterable<number> | undefined;
  /**
   * Names every node resolves (cluster DNS, /etc/hosts), mapped to the real address that serves them,
   * e.g. `{'registry.sim': '127.0.0.1'}`; the port comes from the URL.
   */
  readonly hostAliases?: Readonly<Record<string, string>> | undefined;
  /** Let other names resolve through real DNS. Default: false, so nothing leaves the machine. */
  readonly allowExternalRegistries?: boolean | undefined;
}

export type DialPlan =
  | { readonly ok: true; readonly address?: string | undefined }
  | { readonly ok: false; readonly error: string };

export class NodeNetwork {
  private readonly localPorts: Set<number>;
  private readonly aliases: Readonly<Record<string, string>>;
  private readonly external: boolean;
  /** Kept-alive connections, as containerd reuses them: pulls of many pods stay cheap. */
  readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 8 });

  constructor(options: NodeNetworkOptions = {}) {
    this.localPorts = new Set(options.localRegistryPorts ?? []);
    this.aliases = options.hostAliases ?? {};
    this.external = options.allowExternalRegistries ?? false;
  }

  /** Closes kept-alive connections. */
  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** Declares (or withdraws) a registry listening on this node's loopback. */
  setLocalRegistry(port: number, running = true): void {
    if (running) this.localPorts.add(port);
    else this.localPorts.delete(port);
  }

  /**
   * How to connect to `hostPort` (default port from the scheme): go ahead, optionally to an aliased
   * address, or fail with the Go dial error a node would print.
   */
  plan(hostPort: string, scheme: 'http' | 'https'): DialPlan {
    const host = hostOf(hostPort);
    const port = portOf(hostPort) ?? (scheme === 'https' ? 443 : 80);
    if (isLoopbackHost(hostPort)) {
      if (this.localPorts.has(port)) return { ok: true, address: host === '::1' ? '::1' : '127.0.0.1' };
      const ip = host === '::1' ? '[::1]' : '127.0.0.1';
      return { ok: false, error: `dial tcp ${ip}:${port}: connect: connection refused` };
    }
    const alias = this.aliases[host];
    if (alias !== undefined) return { ok: true, address: alias };
    if (this.external) return { ok: true };
    return { ok: false, error: `dial tcp: lookup ${host}: no such host` };
  }
}
