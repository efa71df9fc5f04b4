import { isKubefreshError } from '../../errors/index.js';
import { parseImageRef } from '../image-ref/index.js';

/**
 * The image name the kubelet works with (k/k `applyDefaultImageTag`): the spec text unchanged, or
 * with `:latest` appended as text when it has neither tag nor digest. No `docker.io/` is added, so
 * events read `Pulling image "nginx:latest"`. Throws the `REF_*` error of {@link parseImageRef} for
 * an image the kubelet cannot parse (it then reports `InvalidImageName`).
 */
export function kubeletImageName(image: string): string {
  const ref = parseImageRef(image);
  return ref.tag === undefined && ref.digest === undefined ? `${image}:latest` : image;
}

/**
 * The message of the kubelet's `InspectFailed` event for an image it cannot parse, or undefined
 * when the image parses: `Failed to apply default image tag "<img>": couldn't parse image name
 * "<img>": <reason>` (k/k `image_manager.go`, `parsers.go`).
 */
export function kubeletInvalidImageMessage(image: string): string | undefined {
  try {
    parseImageRef(image);
    return undefined;
  } catch (err) {
    if (!isKubefreshError(err)) throw err;
    const reason = err.details?.reason;
    return `Failed to apply default image tag ${goQuote(image)}: couldn't parse image name ${goQuote(image)}: ${String(reason)}`;
  }
}

/** Go's `%q` for the printable cases; control characters use Go's escapes. */
function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
