import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

/** What was written: the top digest (index or manifest) and each platform image's digests. */
export interface BuiltImage {
  readonly digest: string;
  readonly mediaType: string;
  readonly images: ReadonlyArray<{ platform: string; digest: string; configDigest: string }>;
}

const sha256 = (data: Uint8Array | string): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;

/**
 * Writes an OCI image layout at `dir` holding one image tagged `tag`: an OCI index over the given
 * platforms (`linux/amd64`, `linux/arm64/v8`…), or a single manifest when `platforms` has one entry
 * and `single` is set. Layers are tiny real tar.gz files; configs carry `label` so every build differs.
 */
export function writeOciLayout(
  dir: string,
  options: { tag: string; platforms: readonly string[]; label: string; single?: boolean },
): BuiltImage {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (data: Uint8Array | string): { digest: string; size: number } => {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const digest = sha256(bytes);
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
    return { digest, size: bytes.byteLength };
  };
  const images = options.platforms.map((text) => {
    const [os, architecture, variant] = text.split('/') as [string, string, string | undefined];
    const tar = tarWithFile(`label.txt`, `${options.label} ${text}\n`);
    const layer = put(gzipSync(tar));
    const config = put(
      JSON.stringify({
        architecture,
        os,
        ...(variant ? { variant } : {}),
        config: { Labels: { 'kubefresh.test': options.label } },
        rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      }),
    );
    const manifest = put(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    );
    return { platform: text, os, architecture, variant, manifest, configDigest: config.digest };
  });
  let top: { digest: string; size: number; mediaType: string };
  if (options.single && images.length === 1) {
    top = { ...images[0]!.manifest, mediaType: 'application/vnd.oci.image.manifest.v1+json' };
  } else {
    const index = put(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: images.map((image) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...image.manifest,
          platform: {
            os: image.os,
            architecture: image.architecture,
            ...(image.variant ? { variant: image.variant } : {}),
          },
        })),
      }),
    );
    top = { ...index, mediaType: 'application/vnd.oci.image.index.v1+json' };
  }
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ ...top, annotations: { 'org.opencontainers.image.ref.name': options.tag } }],
    }),
  );
  return {
    digest: top.digest,
    mediaType: top.mediaType,
    images: images.map((image) => ({
      platform: image.platform,
      digest: image.manifest.digest,
      configDigest: image.configDigest,
    })),
  };
}

/** A ustar archive with one small file (enough for a real, valid layer). */
function tarWithFile(name: string, content: string): Buffer {
  const body = Buffer.from(content);
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  body.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

/**
 * Pushes the layout's image with `skopeo copy --all` (all platforms, digests preserved). Async on
 * purpose: a token server in the same process must keep answering while skopeo runs.
 */
export async function skopeoPush(
  skopeo: string,
  layoutDir: string,
  tag: string,
  destination: string,
  extra: readonly string[] = ['--dest-tls-verify=false'],
): Promise<void> {
  await promisify(execFile)(
    skopeo,
    ['copy', '--all', '--quiet', ...extra, `oci:${layoutDir}:${tag}`, `docker://${destination}`],
    { env: { ...process.env, HOME: layoutDir } },
  );
}
