import { KubefreshError } from '../../errors/index.js';

/** The platform of an index entry or a node: `linux/amd64`, `linux/arm64/v8`, `linux/arm/v7`. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/**
 * Normalizes a platform the way containerd's `platforms.Normalize` does, so that node labels and
 * uname spellings (`aarch64`, `x86_64`, `armhf`) compare equal to the names in image indexes.
 * arm64's default variant is v8 and is dropped (`arm64/v8` ≡ `arm64`); arm's default is v7.
 */
export function normalizePlatform(platform: Platform): Platform {
  const os = platform.os.toLowerCase();
  let arch = platform.architecture.toLowerCase();
  let variant = platform.variant?.toLowerCase() || undefined;
  switch (arch) {
    case 'i386':
      arch = '386';
      variant = undefined;
      break;
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      arch = 'amd64';
      if (variant === 'v1') variant = undefined;
      break;
    case 'aarch64':
    case 'arm64':
      arch = 'arm64';
      if (variant === '8' || variant === 'v8') variant = undefined;
      break;
    case 'armhf':
      arch = 'arm';
      variant = 'v7';
      break;
    case 'armel':
      arch = 'arm';
      variant = 'v6';
      break;
    case 'arm':
      if (variant === undefined || variant === '7') variant = 'v7';
      else if (variant === '5' || variant === '6' || variant === '8') variant = `v${variant}`;
      break;
  }
  return variant === undefined ? { os, architecture: arch } : { os, architecture: arch, variant };
}

/** `linux/arm64`, `linux/arm/v7`: the canonical text of a platform (normalized). */
export function formatPlatform(platform: Platform): string {
  const p = normalizePlatform(platform);
  return `${p.os}/${p.architecture}${p.variant === undefined ? '' : `/${p.variant}`}`;
}

/**
 * Parses `os/arch[/variant]` as given to `--platform`. Throws `USAGE_INVALID_PLATFORM` quoting the
 * input when it does not have two or three non-empty parts.
 */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[A-Za-z0-9_.-]+$/.test(part))) {
    throw new KubefreshError(
      'USAGE_INVALID_PLATFORM',
      `invalid platform "${text}": expected os/arch or os/arch/variant`,
      { hint: 'for example --platform linux/amd64 or --platform linux/arm64/v8' },
    );
  }
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return normalizePlatform(variant === undefined ? { os, architecture } : { os, architecture, variant });
}

/** True when an image built for `candidate` is exactly what a node of platform `wanted` runs. */
export function platformEquals(wanted: Platform, candidate: Platform): boolean {
  const a = normalizePlatform(wanted);
  const b = normalizePlatform(candidate);
  return a.os === b.os && a.architecture === b.architecture && a.variant === b.variant;
}

/** arm variants a node can run, best first (containerd's arm matcher: v8 runs v7, v7 runs v6…). */
const ARM_FALLBACK: Readonly<Record<string, readonly string[]>> = {
  v8: ['v8', 'v7', 'v6', 'v5'],
  v7: ['v7', 'v6', 'v5'],
  v6: ['v6', 'v5'],
  v5: ['v5'],
};

/**
 * Picks the entry a node of platform `wanted` would pull from an index, as containerd does: an exact
 * (normalized) match first, then for 32-bit arm the best compatible lower variant. Entries without
 * a platform, and attestation entries (`unknown/unknown`), never match. Returns undefined when no
 * entry fits.
 */
export function pickPlatform<T extends { readonly platform?: Platform | undefined }>(
  entries: readonly T[],
  wanted: Platform,
): T | undefined {
  const want = normalizePlatform(wanted);
  const candidates = entries.filter(
    (entry) => entry.platform !== undefined && entry.platform.os !== 'unknown',
  ) as Array<T & { platform: Platform }>;
  const exact = candidates.find((entry) => platformEquals(want, entry.platform));
  if (exact !== undefined || want.architecture !== 'arm') return exact;
  for (const variant of ARM_FALLBACK[want.variant ?? 'v7'] ?? []) {
    const found = candidates.find((entry) => platformEquals({ ...want, variant }, entry.platform));
    if (found !== undefined) return found;
  }
  return undefined;
}
