import type { Remedy, SourceLocation } from '../../findings/index.js';
import type { ImageRef } from '../../image-ref/index.js';
import type { RuleMeta } from '../rule.js';

export const IMG009_META: RuleMeta = {
  id: 'IMG009',
  name: 'inconsistent-references',
  title: 'The same repository is referenced with different tags or digests across the inputs',
  defaultSeverity: 'warning',
  why: 'Two workloads that should run the same build (an app and its migration job, or one app across overlays) drift apart when one reference is bumped and the other is not.',
  fix: 'Reference one tag and digest everywhere (kubefresh pin keeps them in step), or suppress with kubefresh.io/ignore: IMG009 where the difference is intended.',
};

interface Occurrence {
  readonly reference: string;
  readonly location: SourceLocation;
  readonly subject: { kind: string; namespace?: string; name: string; container?: string };
  count: number;
}

/** What IMG009 reports for one distinct reference of a repository that has several. */
export interface InconsistentReference {
  readonly repository: string;
  readonly occurrence: Occurrence;
  readonly message: string;
  readonly remedy: Remedy;
  readonly evidence: Readonly<Record<string, unknown>>;
}

/** How IMG009 tells references apart: the repository, and `:tag@digest` as far as written. */
export interface ReferenceKey {
  readonly repository: string;
  readonly reference: string;
}

/** The {@link ReferenceKey} of a parsed image (no tag and no digest counts as `:latest`). */
export function referenceKey(ref: ImageRef): ReferenceKey {
  const tag = ref.tag === undefined ? (ref.digest === undefined ? ':latest' : '') : `:${ref.tag}`;
  return { repository: ref.name(), reference: `${tag}${ref.digest === undefined ? '' : `@${ref.digest}`}` };
}

/**
 * Collects references across all inputs. Memory grows with the number of distinct references,
 * not with the number of containers: only the first place each reference appears is kept.
 */
export class ReferenceTracker {
  private readonly byRepository = new Map<string, Map<string, Occurrence>>();

  add(key: ReferenceKey, location: SourceLocation, subject: Occurrence['subject']): void {
    const { repository, reference } = key;
    let refs = this.byRepository.get(repository);
    if (refs === undefined) {
      refs = new Map();
      this.byRepository.set(repository, refs);
    }
    const known = refs.get(reference);
    if (known) known.count++;
    else refs.set(reference, { reference, location, subject, count: 1 });
  }

  /** One result per distinct reference of every repository referenced more than one way. */
  results(): InconsistentReference[] {
    const out: InconsistentReference[] = [];
    for (const [repository, refs] of this.byRepository) {
      if (refs.size < 2) continue;
      const all = [...refs.values()];
      for (const occurrence of all) {
        const others = all
          .filter((o) => o !== occurrence)
          .map(
            (o) =>
              `${o.reference} (${o.location.file}:${o.location.line}:${o.location.column}${o.count > 1 ? ` and ${o.count - 1} more` : ''})`,
          );
        out.push({
          repository,
          occurrence,
          message: `${repository} is referenced as ${occurrence.reference} here${occurrence.count > 1 ? ` (and ${occurrence.count - 1} more places)` : ''} but as ${others.join(', ')} elsewhere`,
          remedy: {
            text: 'reference one tag and digest everywhere, or suppress where intended',
            commands: [],
          },
          evidence: {
            repository,
            reference: occurrence.reference,
            others: all.filter((o) => o !== occurrence).map((o) => o.reference),
          },
        });
      }
    }
    return out;
  }
}
