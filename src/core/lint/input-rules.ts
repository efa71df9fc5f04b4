import type { RuleMeta } from './rule.js';

/** Problems with the input itself. They are findings (so one bad file never hides the rest). */
export const INPUT_RULES: readonly RuleMeta[] = [
  {
    id: 'YAML001',
    name: 'yaml-syntax',
    title: 'The document is not valid YAML',
    defaultSeverity: 'error',
    why: 'kubectl refuses the whole file, and no image in the document can be checked.',
    fix: 'Fix the syntax at the reported position; `yamllint` or an editor with YAML support shows the context.',
  },
  {
    id: 'YAML002',
    name: 'duplicate-key',
    title: 'A mapping has the same key twice',
    defaultSeverity: 'error',
    why: 'Kubernetes rejects duplicate keys in strict decoding, and readers that accept them silently keep only one value, so what is reviewed is not what runs.',
    fix: 'Remove or merge the repeated key.',
  },
  {
    id: 'YAML003',
    name: 'tab-indentation',
    title: 'Tabs are used for indentation',
    defaultSeverity: 'error',
    why: 'YAML forbids tabs for indentation; kubectl fails on the file.',
    fix: 'Indent with spaces.',
  },
  {
    id: 'FILE001',
    name: 'binary-file',
    title: 'The input is a binary file',
    defaultSeverity: 'error',
    why: 'A manifest path that holds binary data is almost always a mistake (a wrong path or an archive); nothing in it was checked.',
    fix: 'Point kubefresh lint at the manifest files, or remove the file from the manifest folder.',
  },
  {
    id: 'FILE002',
    name: 'not-utf8',
    title: 'The input is not valid UTF-8',
    defaultSeverity: 'error',
    why: 'Kubernetes manifests are UTF-8; another encoding changes what names and images mean.',
    fix: 'Convert the file to UTF-8 (for example with iconv).',
  },
  {
    id: 'FILE003',
    name: 'file-too-large',
    title: 'The input is larger than the size limit and was not read',
    defaultSeverity: 'error',
    why: 'Reading is bounded so that a wrong path (a log, a dump) cannot exhaust memory; nothing in the file was checked.',
    fix: 'Split the file, or raise the limit with --max-file-size.',
  },
];
