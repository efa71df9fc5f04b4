/** What a pod's `imageID` says about the image it runs. */
export type ImageIdentity =
  /** `repo@digest`: the digest of the manifest or index the image was pulled as. */
  | { readonly kind: 'repo-digest'; readonly repository: string; readonly digest: string }
  /** A bare `sha256:…`: the image's config digest (imported, never pulled by digest). */
  | { readonly kind: 'config'; readonly digest: string }
  /** Empty (container never created) or unreadable. */
  | { readonly kind: 'none' };

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}$/;
const RUNTIME_PREFIXES = ['docker-pullable://', 'docker://', 'containerd://', 'cri-o://'];

/**
 * Parses `status.containerStatuses[].imageID` in every spelling runtimes use: the runtime prefix is
 * stripped, `name@digest` yields the digest with the repository normalized as written (docker.io
 * and `library/` dropped so familiar and qualified spellings compare equal), and a bare digest is a
 * config digest.
 */
export function parseImageId(imageId: string | undefined): ImageIdentity {
  let text = (imageId ?? '').trim();
  for (const prefix of RUNTIME_PREFIXES) {
    if (text.startsWith(prefix)) {
      text = text.slice(prefix.length);
      break;
    }
  }
  if (text === '') return { kind: 'none' };
  const at = text.lastIndexOf('@');
  if (at !== -1) {
    const digest = text.slice(at + 1);
    if (!DIGEST.test(digest)) return { kind: 'none' };
    return { kind: 'repo-digest', repository: familiarRepository(text.slice(0, at)), digest };
  }
  return DIGEST.test(text) ? { kind: 'config', digest: text } : { kind: 'none' };
}

/** `docker.io/library/nginx` → `nginx`, `index.docker.io/x/y` → `x/y`; others as written. */
function familiarRepository(name: string): string {
  let repo = name.replace(/^(?:index\.)?docker\.io\//, '');
  if (repo.startsWith('library/') && !repo.slice(8).includes('/')) repo = repo.slice(8);
  return repo;
}
