import { lexical, type RegistryStorage, type StoredManifest } from './storage.js';

interface Repo {
  blobs: Set<string>;
  manifests: Map<string, StoredManifest>;
  tags: Map<string, string>;
}

/** Keeps everything in maps: the default, and the fastest for tests. */
export class MemoryStorage implements RegistryStorage {
  private readonly blobs = new Map<string, Buffer>();
  private readonly repos = new Map<string, Repo>();

  private repo(name: string, create: true): Repo;
  private repo(name: string, create?: false): Repo | undefined;
  private repo(name: string, create = false): Repo | undefined {
    let repo = this.repos.get(name);
    if (!repo && create) {
      repo = { blobs: new Set(), manifests: new Map(), tags: new Map() };
      this.repos.set(name, repo);
    }
    return repo;
  }

  getBlob(digest: string): Buffer | undefined {
    return this.blobs.get(digest);
  }
  putBlob(digest: string, bytes: Uint8Array): void {
    this.blobs.set(digest, Buffer.from(bytes));
  }
  linkBlob(repository: string, digest: string): void {
    this.repo(repository, true).blobs.add(digest);
  }
  isBlobLinked(repository: string, digest: string): boolean {
    return this.repo(repository)?.blobs.has(digest) ?? false;
  }
  unlinkBlob(repository: string, digest: string): void {
    this.repo(repository)?.blobs.delete(digest);
  }
  getManifest(repository: string, digest: string): StoredManifest | undefined {
    return this.repo(repository)?.manifests.get(digest);
  }
  putManifest(repository: string, digest: string, manifest: StoredManifest): void {
    this.repo(repository, true).manifests.set(digest, manifest);
  }
  deleteManifest(repository: string, digest: string): boolean {
    const repo = this.repo(repository);
    if (!repo?.manifests.delete(digest)) return false;
    for (const [tag, target] of repo.tags) if (target === digest) repo.tags.delete(tag);
    return true;
  }
  getTag(repository: string, tag: string): string | undefined {
    return this.repo(repository)?.tags.get(tag);
  }
  setTag(repository: string, tag: string, digest: string): void {
    this.repo(repository, true).tags.set(tag, digest);
  }
  deleteTag(repository: string, tag: string): boolean {
    return this.repo(repository)?.tags.delete(tag) ?? false;
  }
  listTags(repository: string): string[] | undefined {
    const repo = this.repo(repository);
    return repo ? [...repo.tags.keys()].sort(lexical) : undefined;
  }
  listRepositories(): string[] {
    return [...this.repos.keys()].sort(lexical);
  }
}
