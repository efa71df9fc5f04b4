import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubefresh } from '../support/cli.js';

const POD = (image: string, policy = 'IfNotPresent') => `apiVersion: v1
kind: Pod
metadata:
  name: demo
spec:
  containers:
    - name: app
      image: ${image}
      imagePullPolicy: ${policy}
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubefresh-lint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('kubefresh lint', () => {
  it('prints file:line:col, severity, rule and message with a one-line fix, and exits 1 on errors', async () => {
    const result = await runKubefresh(['lint', 'examples/']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'examples/k8s/web.yaml:18:18  error    IMG003  image "ghcr.io/acme/web:main" has the moving tag "main" with imagePullPolicy IfNotPresent',
    );
    expect(result.stdout).toMatch(
      /\n {4}fix: pin the digest, deploy a unique tag, or set imagePullPolicy: Always \$ kubefresh digest ghcr\.io\/acme\/web:main\n/,
    );
    expect(result.stdout).toMatch(
      /\d+ errors, \d+ warnings, \d+ info \(6 files, 7 documents, 10 containers\)\n$/,
    );
    expect(result.stdout).not.toContain('examples/k8s/legacy.yaml');
    expect(result.stderr).toBe('');
  });

  it('reads stdin for -, as from helm template', async () => {
    const result = await runKubefresh(['lint', '-'], { stdin: POD('nginx:1.25.3') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('<stdin>:8:14  info     IMG005');
  });

  it('--fail-on sets the threshold for exit 1', async () => {
    const stdin = POD('nginx', 'Always'); // IMG001 (warning) and IMG005 (info)
    expect((await runKubefresh(['lint', '-'], { stdin })).code).toBe(0);
    expect((await runKubefresh(['lint', '--fail-on', 'warning', '-'], { stdin })).code).toBe(1);
    expect(
      (await runKubefresh(['lint', '--fail-on', 'info', '-'], { stdin: POD('nginx:1.25.3') })).code,
    ).toBe(1);
    expect((await runKubefresh(['lint', '--fail-on', 'none', 'examples/'])).code).toBe(0);
  });

  it('--require-digest and --allowed-registries raise errors', async () => {
    const stdin = POD('nginx:1.25.3');
    const pinned = await runKubefresh(['lint', '--require-digest', '-'], { stdin });
    expect(pinned.code).toBe(1);
    expect(pinned.stdout).toContain('error    IMG005');
    const allowed = await runKubefresh(
      ['lint', '--allowed-registries', 'ghcr.io,registry.example.com', '-'],
      { stdin },
    );
    expect(allowed.code).toBe(1);
    expect(allowed.stdout).toContain(
      'IMG010  image "nginx:1.25.3" comes from registry "docker.io", which is not in the allowed registries (ghcr.io, registry.example.com)',
    );
  });

  it('uses .kubefresh.yaml from the working directory, unless --no-config', async () => {
    const project = await mkdtemp(join(dir, 'project-'));
    await writeFile(join(project, '.kubefresh.yaml'), 'lint:\n  rules:\n    IMG005: error\n');
    await writeFile(join(project, 'pod.yaml'), POD('nginx:1.25.3'));
    const withConfig = await runKubefresh(['lint', 'pod.yaml'], { cwd: project });
    expect(withConfig.code).toBe(1);
    expect(withConfig.stdout).toContain('pod.yaml:8:14  error    IMG005');
    expect((await runKubefresh(['lint', '--no-config', 'pod.yaml'], { cwd: project })).code).toBe(0);
    await writeFile(join(project, 'bad.yaml'), 'lint:\n  rules: {IMG001: loud}\n');
    const bad = await runKubefresh(['lint', '--config', 'bad.yaml', 'pod.yaml'], { cwd: project });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'error: bad.yaml:2:19: expected lint.rules.IMG001 to be one of error, warning, info, off, got "loud"',
    );
  });

  it('prints JSON in the documented, versioned shape', async () => {
    const result = await runKubefresh(['lint', '-o', 'json', 'examples/k8s/web.yaml']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      schemaVersion: 1,
      kind: 'kubefresh.lint',
      tool: { name: 'kubefresh' },
      summary: {
        files: 1,
        documents: 2,
        workloads: 1,
        containers: 2,
        failOn: 'error',
        findings: { error: 1 },
      },
      errors: [],
    });
    expect(report.findings[0]).toEqual({
      code: 'IMG002',
      severity: 'warning',
      message:
        'image "ghcr.io/acme/web:main" uses the moving tag "main", which is re-pushed to point at new images',
      location: { file: 'examples/k8s/web.yaml', line: 18, column: 18 },
      subject: { kind: 'Deployment', namespace: 'shop', name: 'web', container: 'web' },
      evidence: {
        image: 'ghcr.io/acme/web:main',
        path: 'spec.template.spec.containers[0]',
        effectivePullPolicy: 'IfNotPresent',
        tagClass: 'moving',
      },
      remedy: {
        text: 'use a unique version tag, or pin the digest',
        commands: ['kubefresh digest ghcr.io/acme/web:main', 'kubefresh pin examples/k8s/web.yaml'],
      },
    });
  });

  it('validates against docs/lint-json.schema.json, errors included', async () => {
    const { default: Ajv } = await import('ajv');
    const { readFileSync } = await import('node:fs');
    const schema = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../docs/lint-json.schema.json'), 'utf8'),
    );
    const AjvClass = Ajv as unknown as new (
      o: object,
    ) => { compile(s: unknown): ((d: unknown) => boolean) & { errors?: unknown } };
    const validate = new AjvClass({ allErrors: true }).compile(schema);
    for (const args of [
      ['lint', '-o', 'json', 'examples/'],
      ['lint', '-o', 'json', 'missing.yaml', '-'],
    ]) {
      const result = await runKubefresh(args, { stdin: 'a:\n\tb: 1\n' });
      const report = JSON.parse(result.stdout);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('colours only on a TTY, and never with NO_COLOR or --no-color', async () => {
    const stdin = POD('nginx');
    expect((await runKubefresh(['lint', '-'], { stdin, tty: true })).stdout).toContain('\u001b[');
    expect(
      (await runKubefresh(['lint', '-'], { stdin, tty: true, env: { NO_COLOR: '1' } })).stdout,
    ).not.toContain('\u001b[');
    expect((await runKubefresh(['--no-color', 'lint', '-'], { stdin, tty: true })).stdout).not.toContain(
      '\u001b[',
    );
    expect((await runKubefresh(['lint', '-'], { stdin })).stdout).not.toContain('\u001b[');
  });

  it('rejects bad flags and missing paths with exit 2', async () => {
    for (const args of [
      ['lint', '--fail-on', 'loud', '-'],
      ['lint', '-o', 'xml', '-'],
      ['lint', '--bogus', '-'],
      ['lint'],
      ['lint', '--max-file-size', '0', '-'],
    ]) {
      const result = await runKubefresh(args, { stdin: '' });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('has help with examples for stdin and SARIF', async () => {
    const result = await runKubefresh(['lint', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('helm template my-release ./chart | kubefresh lint -');
    expect(result.stdout).toContain('kubefresh lint -o sarif k8s/ > kubefresh.sarif');
    expect(result.stdout).toContain('IMG003   error    Moving tag');
  });
});

describe('kubefresh lint on bad input', () => {
  it('exits 3 for an unreadable path but still reports the other inputs', async () => {
    const result = await runKubefresh(['lint', 'examples/k8s/web.yaml', 'no/such/file.yaml']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('IMG003');
    expect(result.stderr).toBe(
      'error: cannot read "no/such/file.yaml": no such file or directory\nhint: check the path; use - to read from stdin\n',
    );
  });

  it('reports broken YAML, tabs and duplicate keys as findings with positions', async () => {
    const stdin = `${POD('nginx:1.25.3')}---\nkind: Pod\nmetadata:\n\tname: tabbed\n---\na: 1\na: 2\n---\nb: [unclosed\n`;
    const result = await runKubefresh(['lint', '-'], { stdin });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '<stdin>:13:1  error    YAML003  Tabs are not allowed as indentation (TAB_AS_INDENT)',
    );
    expect(result.stdout).toContain(
      '<stdin>:16:1  error    YAML002  Map keys must be unique (DUPLICATE_KEY)',
    );
    expect(result.stdout).toContain(
      '<stdin>:19:1  error    YAML001  Flow sequence in block collection must be sufficiently indented and end with a ] (BAD_INDENT)',
    );
    expect(result.stdout).toContain('<stdin>:8:14  info     IMG005');
    expect(result.stderr).toBe('');
  });

  it('reports a binary file and a 50 MB file as findings without reading them', async () => {
    await writeFile(join(dir, 'image.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]));
    const big = await open(join(dir, 'huge.yaml'), 'w');
    const chunk = Buffer.from(POD('nginx').repeat(1000));
    for (let written = 0; written < 50 * 1024 * 1024; written += chunk.length) await big.write(chunk);
    await big.close();
    const result = await runKubefresh(['lint', 'image.yaml', 'huge.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'image.yaml:1:1  error    FILE001  "image.yaml" is a binary file (it contains NUL bytes); it was not checked',
    );
    expect(result.stdout).toMatch(
      /huge\.yaml:1:1 {2}error {4}FILE003 {2}"huge\.yaml" is 50\.\d MiB, over the 16\.0 MiB limit/,
    );
    await rm(join(dir, 'huge.yaml'));
  });

  it('lints a directory of thousands of files', async () => {
    const many = await mkdtemp(join(dir, 'many-'));
    await Promise.all(
      Array.from({ length: 3000 }, (_, i) =>
        writeFile(join(many, `pod-${i}.yaml`), POD(`ghcr.io/acme/app-${i}:1.0.${i}`)),
      ),
    );
    const result = await runKubefresh(['lint', '-o', 'json', many]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.summary).toMatchObject({ files: 3000, documents: 3000, containers: 3000 });
    expect(report.findings).toHaveLength(3000); // IMG005 (info) for each
  });
});
