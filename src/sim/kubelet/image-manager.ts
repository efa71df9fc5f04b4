import { type ImageRef, parseImageRef } from '../../core/image-ref/index.js';
import { kubeletInvalidImageMessage } from '../../core/pull-policy/index.js';
import type { Clock } from '../../ports/clock.js';
import type { EventRecorder } from '../events/index.js';
import type { NodeImageStore, StoredImage } from '../node/index.js';
import type { KubeObject, ObjectStore } from '../store/index.js';
import type { Backoff } from './backoff.js';
import { goDuration } from './format.js';
import { type ImageSource, type Platform, PullError } from './image-source.js';
import { pullCredentials } from './pull-secrets.js';
import { containerdRef } from './registry-image-source.js';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export type EnsureResult =
  | { readonly ok: true; readonly image: StoredImage }
  | {
      readonly ok: false;
      readonly reason: 'InvalidImageName' | 'ErrImageNeverPull' | 'ImagePullBackOff' | 'ErrImagePull';
      readonly message: string;
      readonly pullError?: PullError;
    };

export interface ImageManagerDeps {
  readonly store: ObjectStore;
  readonly clock: Clock;
  readonly recorder: EventRecorder;
  readonly images: NodeImageStore;
  readonly source: ImageSource;
  readonly platform: Platform;
  readonly backoff: Backoff;
  /** Called after the node's image store changed (so node.status.images can be refreshed). */
  readonly onImagesChanged: () => void;
}

/**
 * The kubelet's image manager (`EnsureImageExists`): parse, decide by pull policy, honour the pull
 * back-off, pull one image at a time (`serializeImagePulls`), and report with the kubelet's events.
 */
export class ImageManager {
  private queue: Promise<unknown> = Promise.resolve();
  /** The last pull error per back-off key: since 1.31 the back-off message quotes it. */
  private readonly lastPullError = new Map<string, string>();

  constructor(private readonly deps: ImageManagerDeps) {}

  async ensure(
    pod: KubeObject,
    container: { image?: string; imagePullPolicy?: string },
    fieldPath: string,
    signal: AbortSignal,
  ): Promise<EnsureResult> {
    const { clock, recorder, images, backoff } = this.deps;
    const image = container.image ?? '';
    const event = (type: 'Normal' | 'Warning', reason: string, message: string) =>
      recorder.record({ involved: pod, type, reason, message, fieldPath });

    const invalid = kubeletInvalidImageMessage(image);
    if (invalid !== undefined) {
      event('Warning', 'InspectFailed', invalid);
      return { ok: false, reason: 'InvalidImageName', message: invalid };
    }
    const ref: ImageRef = parseImageRef(image);
    const policy = pullPolicyOf(container);
    const localRef = containerdRef(ref);
    const present = policy === 'Always' ? undefined : await images.resolve(localRef);
    if (policy !== 'Always') {
      if (present) {
        event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return { ok: true, image: present };
      }
      if (policy === 'Never') {
        const message = `Container image "${image}" is not present with pull policy of Never`;
        event('Warning', 'ErrImageNeverPull', message);
        return { ok: false, reason: 'ErrImageNeverPull', message };
      }
    }
    const key = `${pod.metadata.uid}_${image}`;
    if (backoff.inBackOffSinceUpdate(key, clock.now())) {
      const message = `Back-off pulling image "${image}"`;
      event('Normal', 'BackOff', message);
      const previous = this.lastPullError.get(key);
      return {
        ok: false,
        reason: 'ImagePullBackOff',
        message: previous === undefined ? message : `${message}: ${previous}`,
      };
    }
    const lookup = pullCredentials(this.deps.store, pod, ref);
    if (lookup.missing.length > 0) {
      event(
        'Warning',
        'FailedToRetrieveImagePullSecret',
        `Unable to retrieve some image pull secrets (${lookup.missing.join(', ')}); attempting to pull the image may not succeed.`,
      );
    }
    event('Normal', 'Pulling', `Pulling image "${image}"`);
    const queued = clock.now();
    const result = await this.serialize(async () => {
      const started = clock.now();
      try {
        const resolved = await this.deps.source.resolve({
          ref,
          platform: this.deps.platform,
          credentials: lookup.credentials,
          signal,
        });
        const stored = await images.addPulled({
          name: ref.name(),
          tag: ref.digest === undefined ? ref.effectiveTag() : undefined,
          digest: ref.digest ?? resolved.digest,
          id: resolved.configDigest,
          size: resolved.size,
          config: resolved.config,
        });
        return { stored, pullMs: clock.now() - started, error: undefined };
      } catch (error) {
        if (error instanceof PullError) return { error, stored: undefined, pullMs: 0 };
        throw error;
      }
    });
    if (result.error !== undefined) {
      backoff.next(key, clock.now());
      const message = result.error.message;
      this.lastPullError.set(key, `ErrImagePull: ${message}`);
      event('Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
      return { ok: false, reason: 'ErrImagePull', message, pullError: result.error };
    }
    this.lastPullError.delete(key);
    this.deps.onImagesChanged();
    event(
      'Normal',
      'Pulled',
      `Successfully pulled image "${image}" in ${goDuration(result.pullMs)} (${goDuration(clock.now() - queued)} including waiting). Image size: ${result.stored!.size} bytes.`,
    );
    return { ok: true, image: result.stored! };
  }

  /** Drops what is kept per pod once it is gone. */
  forgetPod(uid: string): void {
    for (const key of this.lastPullError.keys())
      if (key.startsWith(`${uid}_`)) this.lastPullError.delete(key);
  }

  /** When the pull back-off for this pod and image ends. */
  backoffUntil(pod: KubeObject, container: { image?: string }): number {
    return this.deps.backoff.expiresAt(`${pod.metadata.uid}_${container.image ?? ''}`);
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The stored policy; when absent (objects written straight to the store), the API default rule. */
export function pullPolicyOf(container: { image?: string; imagePullPolicy?: string }): PullPolicy {
  const policy = container.imagePullPolicy;
  if (policy === 'Always' || policy === 'IfNotPresent' || policy === 'Never') return policy;
  try {
    const ref = parseImageRef(container.image ?? '');
    return ref.effectiveTag() === 'latest' ? 'Always' : 'IfNotPresent';
  } catch {
    return 'IfNotPresent';
  }
}
