import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lexical, type RegistryStorage, type StoredManifest } from './storage.js';

/**
 * Keeps content on disk so a registry survives restarts (for `sim` and demos). The layout borrows
 * distribution's: `blobs/sha256/<hex>`, and per repository `repositories/<name>/_layers/<hex>`,
 * `_manifests/<hex>` (holding the media type; the bytes are a blob) and `_tags/<tag>` (holding the
 * digest). Underscore names cannot clash with repository path components, which never start with `_`.
 * Every write goes to a temp file and is renamed into place, so a crash never leaves half a blob.
 */
export class DirectoryStorage implements RegistryStorage {
  readonly root: string;
  private sequence = 0;

  constructor(root: string) {
    this.root = root;
    mkdirSync(join(root, 'blobs', 'sha256'), { recursive: true });
    mkdirSync(join(root, 'repositories'), { recursive: true });
  }

  private blobPath(digest: string): string {
    return join(this.root, 'blobs', 'sha256', digest.slice('sha256:'.length));
  }
  private repoPath(repository: string, ...parts: string[]): string {
    return join(this.root, 'repositories', ...repository.split('/'), ...parts);
  }
  private write(path: string, bytes: Uint8Array | string): void {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.tmp-${process.pid}-${this.sequence++}`;
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  }
  private read(path: string): Buffer | undefined {
    try {
      return readFileSync(path);
    } catch {
      return undefined;
    }
  }
  private remove(path: string): boolean {
    if (!existsSync(path)) return false;
    rmSync(path, { force: true });
    return true;
  }

  getBlob(digest: string): Buffer | undefined {
    return this.read(this.blobPath(digest));
  }
  putBlob(digest: string, bytes: Uint8Array): void {
    if (!existsSync(this.blobPath(digest))) this.write(this.blobPath(digest), bytes);
  }
  linkBlob(repository: string, digest: string): void {
    this.write(this.repoPath(repository, '_layers', digest.slice(7)), digest);
  }
  isBlobLinked(repository: string, digest: string): boolean {
    return existsSync(this.repoPath(repository, '_layers', digest.slice(7)));
  }
  unlinkBlob(repository: string, digest: string): void {
    this.remove(this.repoPath(repository, '_layers', digest.slice(7)));
  }
  getManifest(repository: string, digest: string): StoredManifest | undefined {
    const mediaType = this.read(this.repoPath(repository, '_manifests', digest.slice(7)));
    const bytes = mediaType && this.getBlob(digest);
    return bytes ? { mediaType: mediaType.toString('utf8'), bytes } : undefined;
  }
  putManifest(repository: string, digest: string, manifest: StoredManifest): void {
    this.putBlob(digest, manifest.bytes);
    this.write(this.repoPath(repository, '_manifests', digest.slice(7)), manifest.mediaType);
  }
  deleteManifest(repository: string, digest: string): boolean {
    if (!this.remove(this.repoPath(repository, '_manifests', digest.slice(7)))) return false;
    for (const tag of this.listTags(repository) ?? []) {
      if (this.getTag(repository, tag) === digest) this.deleteTag(repository, tag);
    }
    return true;
  }
  getTag(repository: string, tag: string): string | undefined {
    return this.read(this.repoPath(repository, '_tags', tag))?.toString('utf8');
  }
  setTag(repository: string, tag: string, digest: string): void {
    this.write(this.repoPath(repository, '_tags', tag), digest);
  }
  deleteTag(repository: string, tag: string): boolean {
    return this.remove(this.repoPath(repository, '_tags', tag));
  }
  listTags(repository: string): string[] | undefined {
    if (!this.isRepository(this.repoPath(repository))) return undefined;
    const dir = this.repoPath(repository, '_tags');
    const tags = existsSync(dir) ? readdirSync(dir).filter((name) => !name.includes('.tmp-')) : [];
    return tags.sort(lexical);
  }
  listRepositories(): string[] {
    const found: string[] = [];
    const walk = (dir: string, prefix: string[]): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name.startsWith('_')) continue;
        const path = join(dir, entry.name);
        if (this.isRepository(path)) found.push([...prefix, entry.name].join('/'));
        walk(path, [...prefix, entry.name]);
      }
    };
    walk(join(this.root, 'repositories'), []);
    return found.sort(lexical);
  }
  private isRepository(path: string): boolean {
    return ['_layers', '_manifests', '_tags'].some((part) => existsSync(join(path, part)));
  }
}
