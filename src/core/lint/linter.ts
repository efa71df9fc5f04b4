import { isKubefreshError } from '../../errors/index.js';
import type { Finding, FindingSubject, Severity, SourceLocation } from '../findings/index.js';
import { type ImageRef, parseImageRef } from '../image-ref/index.js';
import {
  type ContainerImage,
  extractWorkloads,
  forEachDocument,
  type ManifestProblem,
  type Workload,
} from '../manifest/index.js';
import { defaultPullPolicy, isPullPolicy, type PullPolicy } from '../pull-policy/index.js';
import type { ResolvedLintConfig } from './config.js';
import { classifyTag } from './moving-tags.js';
import type { ContainerContext, InputRuleId, RuleId, RuleMeta, RuleResult } from './rule.js';
import { CONTAINER_RULES, ruleMeta } from './rule-table.js';
import { type ReferenceKey, ReferenceTracker, referenceKey } from './rules/img009-inconsistent-references.js';

/** Counts of what was linted, for summaries and benchmarks. */
export interface LintStats {
  files: number;
  documents: number;
  workloads: number;
  containers: number;
  /** Documents read by the full YAML parser rather than the fast scanner. */
  slowDocuments: number;
}

interface CachedResult {
  readonly meta: RuleMeta;
  readonly severity: Severity;
  readonly result: RuleResult;
  readonly evidence: Readonly<Record<string, unknown>>;
}

interface CheckedContainer {
  readonly reference: ReferenceKey | undefined;
  readonly results: readonly CachedResult[];
}

type ParsedImage = { ref: ImageRef; error?: undefined } | { ref?: undefined; error: string };

/** Parse results are cached (manifests repeat images a lot); the cache is capped to bound memory. */
const PARSE_CACHE_LIMIT = 10_000;

/**
 * Lints inputs one at a time and remembers only what cross-input checks (IMG009) need, so memory
 * does not grow with the number of files. Pure: the caller reads the files.
 */
export class Linter {
  readonly stats: LintStats = { files: 0, documents: 0, workloads: 0, containers: 0, slowDocuments: 0 };
  private readonly references = new ReferenceTracker();
  private readonly parsed = new Map<string, ParsedImage>();
  /**
   * Rule results per (image, written policy) within one file: manifests repeat the same image many
   * times, and every rule's result depends only on those, the file and the configuration.
   */
  private readonly results = new Map<string, CheckedContainer>();

  constructor(readonly config: ResolvedLintConfig) {}

  /** Lints the text of one input (`file` is how findings name it). Findings come in file order. */
  lintText(file: string, text: string): Finding[];
  /**
   * Streams the findings of one input to `sink` instead, document by document, keeping nothing:
   * memory then holds one document whatever the size of the input.
   */
  lintText(file: string, text: string, sink: (finding: Finding) => void): void;
  lintText(file: string, text: string, sink?: (finding: Finding) => void): Finding[] | undefined {
    const findings: Finding[] = [];
    const emit = sink ?? ((finding: Finding) => findings.push(finding));
    // Cached rule results name this file in their remedies: they are valid for one input only.
    this.results.clear();
    this.stats.files++;
    // Documents come in order, and a document has either problems or workloads, so findings come
    // out sorted by position without sorting.
    forEachDocument(text, (doc) => {
      this.stats.documents++;
      if (doc.slow) this.stats.slowDocuments++;
      for (const problem of doc.problems) {
        const finding = this.problemFinding(file, problem);
        if (finding) emit(finding);
      }
      if (doc.problems.length > 0) return;
      for (const workload of extractWorkloads(doc.root, doc.index)) {
        this.stats.workloads++;
        for (const container of workload.containers) {
          this.stats.containers++;
          this.lintContainer(file, workload, container, emit);
        }
      }
    });
    return sink ? undefined : findings;
  }

  /** A finding about an input that could not be read as text (FILE001–FILE003); undefined when that rule is off. */
  inputFinding(
    file: string,
    id: InputRuleId,
    message: string,
    evidence: Record<string, unknown> = {},
  ): Finding | undefined {
    this.stats.files++;
    const meta = ruleMeta(id)!;
    const severity = this.level(meta);
    if (severity === undefined) return undefined;
    return {
      code: id,
      severity,
      subject: { kind: 'File', name: file },
      message,
      location: { file, line: 1, column: 1 },
      evidence,
      remedy: { text: meta.fix, commands: [] },
    };
  }

  /** Findings that need every input seen (IMG009). Call once, after the last input. */
  finish(): Finding[] {
    const meta = ruleMeta('IMG009')!;
    const severity = this.level(meta);
    if (severity === undefined) return [];
    return this.references.results().map((r) => ({
      code: 'IMG009',
      severity,
      subject: r.occurrence.subject,
      message: r.message,
      location: r.occurrence.location,
      evidence: r.evidence,
      remedy: r.remedy,
    }));
  }

  private problemFinding(file: string, problem: ManifestProblem): Finding | undefined {
    const id: RuleId =
      problem.code === 'DUPLICATE_KEY' ? 'YAML002' : problem.code === 'TAB_AS_INDENT' ? 'YAML003' : 'YAML001';
    const meta = ruleMeta(id)!;
    const severity = this.level(meta);
    if (severity === undefined) return undefined;
    return {
      code: id,
      severity,
      subject: { kind: 'File', name: file },
      message: `${problem.message} (${problem.code})`,
      location: { file, line: problem.line, column: problem.column },
      evidence: { yamlCode: problem.code },
      remedy: { text: meta.fix, commands: [] },
    };
  }

  private lintContainer(
    file: string,
    workload: Workload,
    container: ContainerImage,
    emit: (finding: Finding) => void,
  ): void {
    const ignored = workload.ignore.length === 0 ? undefined : new Set(workload.ignore);
    const suppressAll = ignored !== undefined && (ignored.has('ALL') || ignored.has('*'));
    const location: SourceLocation = {
      file,
      line: container.image?.line ?? container.line,
      column: container.image?.column ?? container.column,
    };
    const subject = subjectOf(workload, container);
    const checked = this.check(file, workload, container);
    for (const { meta, severity, result, evidence } of checked.results) {
      if (suppressAll || ignored?.has(meta.id)) continue;
      emit({
        code: meta.id,
        severity,
        subject,
        message: result.message,
        location,
        evidence,
        remedy: result.remedy,
      });
    }
    if (checked.reference && !suppressAll && !ignored?.has('IMG009')) {
      this.references.add(checked.reference, location, subject);
    }
  }

  /**
   * Every rule's result for this container. Results are cached per file by image, written policy
   * and field path (manifests repeat them a lot): everything a result depends on besides the file
   * and the configuration. Findings share the cached evidence objects; they are read-only.
   */
  private check(file: string, workload: Workload, container: ContainerImage): CheckedContainer {
    const image = container.image?.value;
    const field = container.imagePullPolicy;
    // Without a string image, messages name the container: nothing to share.
    const key =
      image === undefined
        ? undefined
        : `${image}\n${field === undefined ? '\u0000' : (field.value ?? `\u0001${field.nonString}`)}\n${container.path}`;
    const cached = key === undefined ? undefined : this.results.get(key);
    if (cached) return cached;
    const context = this.context(file, workload, container);
    const base: Record<string, unknown> = { image: context.image, path: container.path };
    if (context.explicitPolicy) base.imagePullPolicy = context.explicitPolicy;
    if (context.effectivePolicy) base.effectivePullPolicy = context.effectivePolicy;
    const results: CachedResult[] = [];
    for (const rule of CONTAINER_RULES) {
      const level = this.level(rule.meta);
      if (level === undefined) continue;
      const result = rule.check(context);
      if (result === undefined) continue;
      const configured = this.config.levels[rule.meta.id] !== rule.meta.defaultSeverity;
      results.push({
        meta: rule.meta,
        severity: configured ? level : (result.severity ?? level),
        result,
        evidence: result.evidence ? { ...base, ...result.evidence } : base,
      });
    }
    const checked: CheckedContainer = { reference: context.ref && referenceKey(context.ref), results };
    if (key !== undefined) {
      if (this.results.size >= PARSE_CACHE_LIMIT) this.results.clear();
      this.results.set(key, checked);
    }
    return checked;
  }

  private context(file: string, workload: Workload, container: ContainerImage): ContainerContext {
    const image = container.image?.value;
    const parsed = image === undefined ? undefined : this.parse(image);
    const written = container.imagePullPolicy?.value;
    const explicitPolicy: PullPolicy | undefined = isPullPolicy(written) ? written : undefined;
    const ref = parsed?.ref;
    return {
      file,
      workload,
      container,
      image,
      ref,
      refError: parsed?.error,
      explicitPolicy,
      effectivePolicy:
        image === undefined || ref === undefined ? undefined : (explicitPolicy ?? defaultPullPolicy(image)),
      tagClass:
        ref === undefined || ref.digest !== undefined
          ? undefined
          : classifyTag(ref.tag, this.config.movingTags),
      config: this.config,
    };
  }

  private parse(image: string): ParsedImage {
    const known = this.parsed.get(image);
    if (known) return known;
    let result: ParsedImage;
    try {
      result = { ref: parseImageRef(image) };
    } catch (err) {
      if (!isKubefreshError(err)) throw err;
      result = { error: String(err.details?.reason ?? err.message) };
    }
    if (this.parsed.size >= PARSE_CACHE_LIMIT) this.parsed.clear();
    this.parsed.set(image, result);
    return result;
  }

  /** The severity a rule reports at, or undefined when it is off. */
  private level(meta: RuleMeta): Severity | undefined {
    const level = this.config.levels[meta.id] ?? meta.defaultSeverity;
    return level === 'off' ? undefined : level;
  }
}

function subjectOf(workload: Workload, container: ContainerImage): FindingSubject {
  return {
    kind: workload.kind,
    ...(workload.namespace === undefined ? {} : { namespace: workload.namespace }),
    name: workload.name ?? '(unnamed)',
    ...(container.name === undefined ? {} : { container: container.name }),
  };
}
