import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCTOR_CODES, type RemedyContext, recommend } from '../../../src/core/diagnose/index.js';
import { lintManifest } from '../../../src/core/lint/index.js';
import { ArgvSandbox, HOSTILE_STRINGS } from '../../support/argv-stub.js';

/** The programs a remedy may name; pasting one must run that program and nothing else. */
const PROGRAMS = ['kubectl', 'kubefresh', 'k3s', 'sudo', 'skopeo'];

const hostile = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: fc.constantFrom(...'$`\'";&|<>()#\n\x1b\x07 aZ'), minLength: 1, maxLength: 12 }),
);

/** A remedy context whose every cluster-sourced value is hostile. */
const context = fc.record({
  kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Pod'),
  namespace: hostile,
  name: hostile,
  container: hostile,
  specImage: hostile,
  pinnedImage: hostile,
  repository: hostile,
  registryHost: hostile,
  reachableRegistry: hostile,
  pod: hostile,
  nodes: fc.array(hostile, { minLength: 1, maxLength: 2 }),
  missing: fc.record({
    kind: fc.constantFrom('ConfigMap' as const, 'Secret' as const),
    namespace: hostile,
    name: hostile,
    key: fc.option(hostile, { nil: undefined }),
  }),
  canRollBack: fc.constant(true),
  memoryLimit: hostile,
  pullPolicy: fc.constantFrom('Never', 'IfNotPresent'),
});

/** One command line (or a `registries.yaml` snippet): pasted into bash, it runs only known programs. */
function expectSafe(sandbox: ArgvSandbox, command: string) {
  const pasted = sandbox.paste(command);
  expect(pasted.parses, command).toBe(true);
  expect(pasted.created, command).toEqual([]);
  expect(
    pasted.calls.filter((c) => c.unknown),
    command,
  ).toEqual([]);
  for (const call of pasted.calls) expect(PROGRAMS, command).toContain(call.argv[0]);
  // A single-line command is one program run; a snippet may test for a file first.
  if (!command.includes('\n')) expect(pasted.calls, command).toHaveLength(1);
  return pasted;
}

describe('remedies built from hostile cluster values', () => {
  const sandbox = new ArgvSandbox(PROGRAMS);
  afterAll(() => sandbox.dispose());

  it.each(DOCTOR_CODES)('%s: every fix line runs one known program with the values as data', (code) => {
    fc.assert(
      fc.property(context, (ctx) => {
        for (const command of recommend(code, ctx as RemedyContext).commands) {
          const pasted = expectSafe(sandbox, command);
          // The workload's name reaches the program intact, as one word.
          const words = pasted.calls.flatMap((c) => c.argv);
          if (words.some((w) => w.includes('/')) && command.includes(ctx.kind.toLowerCase()))
            expect(words).toContain(`${ctx.kind.toLowerCase()}/${ctx.name.replaceAll('\0', '\\x00')}`);
        }
      }),
      { numRuns: 12 },
    );
  });

  it('lint fixes for a hostile image and file name run `kubefresh` with them as words', () => {
    const image = 'app:v1;touch${IFS}X;#';
    const file = "k8s/$(touch PWNED)'.yaml";
    const manifest = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${JSON.stringify(image)}\n`;
    const commands = lintManifest(file, manifest).flatMap((f) => f.remedy.commands);
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const [call] = expectSafe(sandbox, command).calls;
      expect([image, file]).toContain(call!.argv[2]);
    }
  });
});
