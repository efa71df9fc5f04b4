/** What a container runtime keeps from an image's config blob: enough to run a simulated container. */
export interface ImageConfig {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string | undefined;
  readonly env: readonly string[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * One image in a node's store, as CRI `ListImages` reports it: the config digest is its identity;
 * names are split into repo tags (`docker.io/library/nginx:1.25`) and repo digests
 * (`docker.io/library/nginx@sha256:<what the tag named>`).
 */
export interface StoredImage {
  /** `sha256:<config digest>`. */
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
  readonly size: number;
  /** Imported images are pinned (K3s labels them `io.cri-containerd.pinned`): GC never removes them. */
  readonly pinned: boolean;
  readonly config: ImageConfig;
}

export interface PulledImage {
  /** Fully qualified repository name: `docker.io/library/nginx`. */
  readonly name: string;
  /** The tag pulled, if the reference had one (containerd drops it when a digest is also given). */
  readonly tag?: string | undefined;
  /** Digest of what the reference named: the index digest for a multi-platform tag. */
  readonly digest: string;
  readonly id: string;
  readonly size: number;
  readonly config: ImageConfig;
}

export interface ImportedImage {
  /** Fully qualified `name:tag`; an import records no repo digest. */
  readonly repoTag: string;
  readonly id: string;
  readonly size: number;
  readonly config: ImageConfig;
}

/**
 * A node's containerd image store (namespace `k8s.io`), reduced to what the kubelet asks of CRI.
 * Async because a later implementation talks to a real containerd per node.
 */
export interface NodeImageStore {
  list(): Promise<StoredImage[]>;
  /**
   * Resolves a fully qualified reference on this node only: `name:tag` by repo tag,
   * `name@digest` by repo digest, `sha256:<id>` by image id.
   */
  resolve(reference: string): Promise<StoredImage | undefined>;
  /** Records a pull: the tag moves to this image; the image gains `<name>@<digest>`. */
  addPulled(image: PulledImage): Promise<StoredImage>;
  /** Records an import (`k3s ctr images import`): the tag moves, no repo digest, pinned. */
  importImage(image: ImportedImage): Promise<StoredImage>;
  /** Removes the image a reference resolves to, with all its names (`crictl rmi`); false if absent. */
  remove(reference: string): Promise<boolean>;
}

interface MutableImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  pinned: boolean;
  config: ImageConfig;
}

/**
 * An in-memory containerd image store. A tag names exactly one image: pulling or importing under
 * an existing tag moves it, and the previous image keeps only its `@digest` names (until removed),
 * which is how a node keeps running "the old latest" after a push.
 */
export class InMemoryNodeImageStore implements NodeImageStore {
  private readonly images = new Map<string, MutableImage>();

  async list(): Promise<StoredImage[]> {
    return [...this.images.values()].map(snapshot);
  }

  async resolve(reference: string): Promise<StoredImage | undefined> {
    const image = this.find(reference);
    return image && snapshot(image);
  }

  async addPulled(pulled: PulledImage): Promise<StoredImage> {
    const image = this.upsert(pulled.id, pulled.size, pulled.config);
    const repoDigest = `${pulled.name}@${pulled.digest}`;
    for (const other of this.images.values()) {
      if (other !== image) other.repoDigests = other.repoDigests.filter((d) => d !== repoDigest);
    }
    if (!image.repoDigests.includes(repoDigest)) image.repoDigests.push(repoDigest);
    if (pulled.tag !== undefined) this.moveTag(`${pulled.name}:${pulled.tag}`, image);
    this.dropNameless();
    return snapshot(image);
  }

  async importImage(imported: ImportedImage): Promise<StoredImage> {
    const image = this.upsert(imported.id, imported.size, imported.config);
    image.pinned = true;
    this.moveTag(imported.repoTag, image);
    this.dropNameless();
    return snapshot(image);
  }

  async remove(reference: string): Promise<boolean> {
    const image = this.find(reference);
    if (!image) return false;
    this.images.delete(image.id);
    return true;
  }

  private find(reference: string): MutableImage | undefined {
    if (reference.startsWith('sha256:')) return this.images.get(reference);
    for (const image of this.images.values()) {
      if (image.repoTags.includes(reference) || image.repoDigests.includes(reference)) return image;
    }
    return undefined;
  }

  private upsert(id: string, size: number, config: ImageConfig): MutableImage {
    let image = this.images.get(id);
    if (!image) {
      image = { id, repoTags: [], repoDigests: [], size, pinned: false, config };
      this.images.set(id, image);
    }
    return image;
  }

  private moveTag(repoTag: string, to: MutableImage): void {
    for (const image of this.images.values()) {
      if (image !== to) image.repoTags = image.repoTags.filter((t) => t !== repoTag);
    }
    if (!to.repoTags.includes(repoTag)) to.repoTags.push(repoTag);
  }

  /** containerd deletes an image record whose last name is gone; CRI then no longer lists it. */
  private dropNameless(): void {
    for (const [id, image] of this.images) {
      if (image.repoTags.length === 0 && image.repoDigests.length === 0) this.images.delete(id);
    }
  }
}

function snapshot(image: MutableImage): StoredImage {
  return {
    id: image.id,
    repoTags: [...image.repoTags].sort(),
    repoDigests: [...image.repoDigests].sort(),
    size: image.size,
    pinned: image.pinned,
    config: image.config,
  };
}
