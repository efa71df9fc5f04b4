import type { ImageRef } from './image-ref.js';

/**
 * True when the registry is this machine: `localhost`, an IPv4 address in 127.0.0.0/8, or the IPv6
 * loopback (`[::1]`, any spelling, and IPv4-mapped `[::ffff:7f00:1]`), with or without a port.
 *
 * This follows containerd's `IsLocalhost` (net.ParseIP + IsLoopback), with two deliberate
 * widenings because the question here is "where does this name lead": `LOCALHOST` counts (DNS is
 * case-insensitive), and `[::1]` without a port counts. On a cluster every node resolves such a
 * registry to itself, so an image pushed to the developer's machine is not there for the nodes.
 *
 * Accepts a parsed reference or a registry string (`host[:port]`).
 */
export function isLoopbackRegistry(ref: ImageRef | string): boolean {
  const host = registryHost(typeof ref === 'string' ? ref : ref.registry);
  if (host.toLowerCase() === 'localhost') return true;
  if (host.startsWith('[') && host.endsWith(']')) return isLoopbackIPv6(host.slice(1, -1));
  return isLoopbackIPv4(host);
}

/** The host of `host[:port]` or `[v6][:port]`, without the port. */
export function registryHost(registry: string): string {
  if (registry.startsWith('[')) {
    const close = registry.indexOf(']');
    return close === -1 ? registry : registry.slice(0, close + 1);
  }
  const colon = registry.indexOf(':');
  return colon === -1 ? registry : registry.slice(0, colon);
}

function isLoopbackIPv4(host: string): boolean {
  const octets = host.split('.');
  if (octets.length !== 4) return false;
  // Go's ParseIP: one to three decimal digits, at most 255, no leading zeros.
  const valid = octets.every((o) => /^(?:0|[1-9][0-9]{0,2})$/.test(o) && Number(o) <= 255);
  return valid && octets[0] === '127';
}

function isLoopbackIPv6(text: string): boolean {
  const groups = expandIPv6(text);
  if (groups === undefined) return false;
  const zerosThrough = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zerosThrough(7) && groups[7] === 1) return true;
  // IPv4-mapped ::ffff:127.x.y.z, which Go's To4() treats as IPv4.
  return zerosThrough(5) && groups[5] === 0xffff && groups[6]! >> 8 === 127;
}

/** The eight 16-bit groups of a hex-only IPv6 address, or undefined when it is not one. */
function expandIPv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => Number.parseInt(g, 16));
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}
