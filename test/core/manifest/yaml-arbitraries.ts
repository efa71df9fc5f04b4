import fc from 'fast-check';

/** Scalars as they appear in manifests, plus the tricky ones YAML readers get wrong. */
const SCALARS = [
  'nginx',
  'nginx:1.25',
  'ghcr.io/acme/api:main',
  'localhost:5000/app',
  'busybox@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff',
  '"quoted: value"',
  "'single ''quoted'''",
  '"esc\\"aped"',
  '"tab\\tin"',
  '-1',
  '--port=8080',
  '-',
  '? x',
  ': y',
  '1.5',
  'true',
  '~',
  'null',
  '',
  'a: b',
  'trailing:',
  'value # comment',
  'value#not-comment',
  '[a, b, "c"]',
  '[]',
  '{}',
  '{a: 1, b: [x, y], "c": "d"}',
  '{a: , b}',
  '[a: b]',
  '[a, b',
  '{"json":"style","n":1}',
  '&anchor x',
  '*anchor',
  '!!str 123',
  '|',
  '>-',
  '|2',
  '"multi',
  'http://example.com/a#b',
  'IfNotPresent',
  'Always',
  '%percent',
  '@at',
  '`tick`',
  'a,b',
  'x[0]',
  '<<',
];

const KEYS = [
  'apiVersion',
  'kind',
  'metadata',
  'name',
  'namespace',
  'spec',
  'template',
  'containers',
  'initContainers',
  'image',
  'imagePullPolicy',
  'env',
  'value',
  '"quoted key"',
  "'sq key'",
  'with space',
  '<<',
  '? complex',
  'kubefresh.io/ignore',
  'a:b',
  '-dash',
];

type Tree = { scalar: string } | { map: [string, Tree][] } | { seq: Tree[] };

/** What manifests from kubectl, Helm and Kustomize are made of: the fast path must read these. */
const SAFE_SCALARS = [
  'nginx',
  'nginx:1.25',
  '"quoted: value"',
  "'it''s'",
  '--port=8080',
  '[a, "b"]',
  '{a: 1}',
  '1',
  'x y',
];
const SAFE_KEYS = ['name', 'image', 'env', 'value', 'labels', '"quoted key"', 'app.kubernetes.io/name'];

function treeOf(scalars: readonly string[], keys: readonly string[]): fc.Arbitrary<Tree> {
  return fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...scalars).map((scalar) => ({ scalar })),
      fc
        .uniqueArray(fc.tuple(fc.constantFrom(...keys), tie('node')), { maxLength: 4, selector: ([k]) => k })
        .map((map) => ({ map })),
      fc.array(tie('node'), { maxLength: 3 }).map((seq) => ({ seq })),
    ),
  })).node;
}

const tree = treeOf(SCALARS, KEYS);

function render(node: Tree, indent: number, step: number, compactSeq: boolean): string[] {
  const pad = ' '.repeat(indent);
  if ('scalar' in node) return [`${pad}${node.scalar}`];
  if ('map' in node) {
    if (node.map.length === 0) return [`${pad}{}`];
    return node.map.flatMap(([key, value]) => {
      if (('map' in value && value.map.length === 0) || ('seq' in value && value.seq.length === 0)) {
        return [`${pad}${key}: ${'map' in value ? '{}' : '[]'}`];
      }
      if ('scalar' in value) {
        const lines = [`${pad}${key}: ${value.scalar}`];
        if (value.scalar.startsWith('|') || value.scalar.startsWith('>'))
          lines.push(`${pad}${' '.repeat(step)}body text`);
        return lines;
      }
      const childIndent = 'seq' in value && compactSeq ? indent : indent + step;
      return [`${pad}${key}:`, ...render(value, childIndent, step, compactSeq)];
    });
  }
  if (node.seq.length === 0) return [`${pad}[]`];
  return node.seq.flatMap((item) => {
    const lines = render(item, indent + 2, step, compactSeq);
    const first = lines[0]!;
    return [`${pad}- ${first.slice(indent + 2)}`, ...lines.slice(1)];
  });
}

/** A document shaped like a workload, so extraction paths are exercised. */
const workloadOf = (scalars: readonly string[], extraTree: fc.Arbitrary<Tree>): fc.Arbitrary<string> =>
  fc
    .record({
      kind: fc.constantFrom('Deployment', 'Pod', 'CronJob', 'List', 'Widget'),
      images: fc.array(fc.constantFrom(...scalars), { minLength: 1, maxLength: 3 }),
      policy: fc.constantFrom('', 'IfNotPresent', 'Always', 'Never', '"Always"'),
      extra: extraTree,
    })
    .map(({ kind, images, policy, extra }) => {
      const containers = images.flatMap((image, i) => [
        `      - name: c${i}`,
        `        image: ${image}`,
        ...(policy ? [`        imagePullPolicy: ${policy}`] : []),
      ]);
      return [
        'apiVersion: apps/v1',
        `kind: ${kind}`,
        'metadata:',
        '  name: demo',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        ...containers,
        'extra:',
        ...('map' in extra && extra.map.length > 0 ? render(extra, 2, 2, false) : ['  none: 1']),
      ].join('\n');
    });

const workload = workloadOf(SCALARS, tree);

const document = fc.oneof(
  workload,
  fc
    .tuple(tree, fc.constantFrom(2, 4), fc.boolean())
    .map(([t, step, compact]) => render(t, 0, step, compact).join('\n')),
);

/** Mutations that turn good YAML into the broken kinds users paste: tabs, stray characters, cut lines. */
const mutation = fc.oneof(
  fc.record({
    at: fc.nat(),
    insert: fc.constantFrom(
      '\t',
      ' ',
      ':',
      '"',
      "'",
      '#',
      '-',
      '[',
      '{',
      '&',
      '*',
      '\n',
      '\r\n',
      '---\n',
      '...\n',
      '%YAML 1.2\n',
      '\uFEFF',
      'é',
      '\u0000',
      '\u2028',
      '\r',
    ),
  }),
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 5 }) }),
);

function mutate(
  text: string,
  mutations: readonly ({ at: number; insert: string } | { at: number; remove: number })[],
): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    out =
      'insert' in m
        ? out.slice(0, at) + m.insert + out.slice(at)
        : out.slice(0, at) + out.slice(at + m.remove);
  }
  return out;
}

/** Streams of one to three documents, a third of them mutated. */
export const yamlStream: fc.Arbitrary<string> = fc
  .tuple(fc.array(document, { minLength: 1, maxLength: 3 }), fc.array(mutation, { maxLength: 3 }), fc.nat(2))
  .map(([docs, mutations, mode]) => {
    const text = `${docs.join('\n---\n')}\n`;
    return mode === 0 ? mutate(text, mutations) : text;
  });

/** Clean workload documents only (no mutations), to measure how often the fast path applies. */
export const cleanStream: fc.Arbitrary<string> = fc
  .array(workloadOf(SAFE_SCALARS, treeOf(SAFE_SCALARS, SAFE_KEYS)), { minLength: 1, maxLength: 3 })
  .map((d) => d.join('\n---\n'));
