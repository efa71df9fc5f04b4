/**
 * Reads the entries of a tar file held in memory: ustar headers, with PAX (`x`) and GNU long-name
 * (`L`) records for paths over 100 bytes. Enough for `docker save`, `podman save`, `buildah push
 * oci-archive:` and `skopeo copy oci-archive:` output; directories, links and devices are skipped.
 */
export function readTarEntries(tar: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = (from: number, length: number) => {
    let end = from;
    while (end < from + length && tar[end] !== 0) end++;
    return Buffer.from(tar.subarray(from, end)).toString('utf8');
  };
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    if (tar[offset] === 0) break; // end-of-archive blocks
    const size = Number.parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(tar[offset + 156] ?? 48);
    const prefix = text(offset + 345, 155);
    const name = text(offset, 100);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = Buffer.from(body).toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'x') {
      const path = /\d+ path=([^\n]*)\n/.exec(Buffer.from(body).toString('utf8'));
      if (path) longName = path[1];
      continue;
    }
    if (type === 'g') continue;
    const path = (longName ?? (prefix ? `${prefix}/${name}` : name)).replace(/^\.\//, '');
    longName = undefined;
    if (type === '0' || type === '\0' || type === '7') files.set(path, body);
  }
  return files;
}
