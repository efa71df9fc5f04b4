import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { LineCounter, parseAllDocuments } from 'yaml';

/** The first place a file is not valid: 1-based line and column, and what was expected there. */
export interface ConfigProblem {
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

/** yaml's error codes in words; none of them quotes the file. */
const YAML_REASONS: Readonly<Record<string, string>> = {
  ALIAS_PROPS: 'an alias cannot have an anchor or a tag',
  BAD_ALIAS: 'an alias names no anchor defined before it',
  BAD_DIRECTIVE: 'expected a %YAML or %TAG directive',
  BAD_DQ_ESCAPE: 'expected a valid escape in a double-quoted string',
  BAD_INDENT: 'expected the indentation of the lines around it',
  BAD_PROP_ORDER: 'anchors and tags must come before the value',
  BAD_SCALAR_START: 'a plain value cannot start with this character; quote it',
  BLOCK_AS_IMPLICIT_KEY: 'a nested block cannot be a key',
  BLOCK_IN_FLOW: 'a block cannot stand inside [ ] or { }',
  DUPLICATE_KEY: 'a key appears twice in one mapping',
  IMPOSSIBLE: 'the YAML cannot be read here',
  KEY_OVER_1024_CHARS: 'a key is longer than 1024 characters',
  MISSING_CHAR: 'expected a closing quote or bracket',
  MULTILINE_IMPLICIT_KEY: 'a key cannot span lines',
  MULTIPLE_ANCHORS: 'a value has two anchors',
  MULTIPLE_DOCS: 'expected one YAML document',
  MULTIPLE_TAGS: 'a value has two tags',
  NON_STRING_KEY: 'expected a string key',
  TAB_AS_INDENT: 'tabs cannot indent YAML; use spaces',
  TAG_RESOLVE_FAILED: 'a tag could not be resolved',
  UNEXPECTED_TOKEN:
    'expected a key, a value or a list item here (often a line indented too far or not far enough)',
  BAD_COLLECTION_TYPE: 'the tag does not fit the collection',
};

/** The first YAML problem in `text` (any document), or undefined when it parses. */
export function yamlProblem(text: string, options: { uniqueKeys?: boolean } = {}): ConfigProblem | undefined {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    prettyErrors: false,
    lineCounter,
    uniqueKeys: options.uniqueKeys ?? true,
  });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error === undefined) continue;
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { line, column: col, reason: YAML_REASONS[error.code] ?? 'not valid YAML' };
  }
  return undefined;
}

/** JSON errors in words (jsonc-parser's codes are the names of what it expected). */
const JSON_REASONS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'expected a number',
  PropertyNameExpected: 'expected a "key" in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the key',
  CommaExpected: 'expected "," between entries',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'expected the end of the file after the value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'expected four hex digits after \\u',
  InvalidEscapeCharacter: 'expected a valid escape after \\',
  InvalidCharacter: 'a control character must be escaped inside a string',
};

/** The first JSON problem in `text`, or undefined when it is valid JSON. */
export function jsonProblem(text: string): ConfigProblem | undefined {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return undefined;
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  const name = printParseErrorCode(first.error);
  return { line, column, reason: JSON_REASONS[name] ?? 'not valid JSON' };
}
