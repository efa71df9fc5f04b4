import { composeDocuments, TooComplex } from './compose.js';
import { fastScan } from './fast-scan.js';
import type { TreeNode } from './tree.js';
import type { ManifestProblem, ScanResult, Workload } from './types.js';
import { extractWorkloads } from './workloads.js';

/** One document's tree, or its problems, as {@link readDocuments} yields them. */
export interface ReadDocument {
  readonly index: number;
  readonly root: TreeNode | null;
  readonly problems: readonly ManifestProblem[];
  /** True when the full `yaml` parser read it (the fast scanner declined). */
  readonly slow: boolean;
}

/** One document's slice of the input, and the fast scanner's tree when it could read it. */
export interface DocumentSlice {
  /** 0-based line of the slice's first line in the input. */
  readonly startLine: number;
  /** Loads the exact text of the slice (only needed when the fast scanner declined). */
  text(): string;
  /** Reads the tree: `null` for an empty document, `undefined` when the full parser must read it. */
  fastRoot(): TreeNode | null | undefined;
}

/**
 * Splits an input into documents the way kubectl does (at `---` lines, before any YAML parsing, so
 * one broken document never swallows the next) and reads what the fast scanner can.
 */
export function splitDocuments(text: string): DocumentSlice[] {
  const { lines, documents, wholeFileFallback } = fastScan(text);
  if (wholeFileFallback) return [{ startLine: 0, text: () => text, fastRoot: () => undefined }];
  let offsets: number[] | undefined;
  return documents.map((doc) => ({
    startLine: doc.startLine,
    fastRoot: () => doc.read(),
    text: () => {
      offsets ??= lineOffsets(lines);
      return text.slice(offsets[doc.startLine], offsets[doc.endLine]);
    },
  }));
}

/**
 * Reads every YAML (or JSON) document of `text` into a position-carrying tree: the fast scanner
 * where it can, the full `yaml` composer where it cannot. Never throws because of the text.
 */
export function readDocuments(text: string): ReadDocument[] {
  const out: ReadDocument[] = [];
  forEachDocument(text, (doc) => {
    out.push(doc);
  });
  return out;
}

/**
 * Like {@link readDocuments}, but hands each document to `visit` as soon as it is read and keeps
 * nothing, so memory holds one document's tree at a time.
 */
export function forEachDocument(text: string, visit: (doc: ReadDocument) => void): void {
  let index = 0;
  const sink = { push: (doc: Omit<ReadDocument, 'index'>) => visit({ ...doc, index: index++ }) };
  for (const slice of splitDocuments(text)) {
    const root = slice.fastRoot();
    if (root === undefined) {
      pushComposed(sink, slice.text(), slice.startLine);
    } else if (root !== null) {
      sink.push({ root, problems: [], slow: false });
    }
  }
}

function lineOffsets(lines: readonly string[]): number[] {
  const offsets = new Array<number>(lines.length + 1);
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    offsets[i] = offset;
    offset += lines[i]!.length + 1;
  }
  offsets[lines.length] = offset;
  return offsets;
}

function pushComposed(
  out: { push(doc: Omit<ReadDocument, 'index'>): void },
  text: string,
  lineOffset: number,
): void {
  try {
    for (const composed of composeDocuments(text, lineOffset)) {
      if (composed.root === null && composed.problems.length === 0) continue;
      out.push({ root: composed.root, problems: composed.problems, slow: true });
    }
  } catch (err) {
    if (!(err instanceof TooComplex)) throw err;
    out.push({
      root: null,
      problems: [
        {
          code: 'TOO_COMPLEX',
          message: 'the document expands to more than a million nodes through aliases (a YAML bomb?)',
          line: lineOffset + 1,
          column: 1,
        },
      ],
      slow: true,
    });
  }
}

/** Scans one input: its documents, the workloads in them with every container image, and YAML problems. */
export function scanManifest(text: string): ScanResult {
  const workloads: Workload[] = [];
  const problems: ManifestProblem[] = [];
  let slowDocuments = 0;
  let documents = 0;
  forEachDocument(text, (doc) => {
    documents++;
    if (doc.slow) slowDocuments++;
    // Loops, not push(...): a List of 100,000 items would overflow the call stack as arguments.
    for (const problem of doc.problems) problems.push(problem);
    if (doc.problems.length === 0)
      for (const workload of extractWorkloads(doc.root, doc.index)) workloads.push(workload);
  });
  return { documents, workloads, problems, slowDocuments };
}
