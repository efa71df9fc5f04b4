import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { comment, escapeControl, shellCommand, shellQuote } from '../../../src/core/shell/index.js';
import { ArgvSandbox, HOSTILE_STRINGS } from '../../support/argv-stub.js';

/** What bash hands a program for `word`: itself, but a NUL (which no argv word can hold) as `\x00`. */
const asArgv = (word: string) => word.replaceAll('\0', '\\x00');

/** Words from everywhere: the hostile list, any code point, and strings made of shell metacharacters. */
const word = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom(...'$`\'"\\;&|<>(){}[]*?!#~= \t\n\x1b\x07\x00\u202eaZ09-_'),
    maxLength: 16,
  }),
);

describe('shellQuote / shellCommand', () => {
  const sandbox = new ArgvSandbox(['argv-echo']);
  afterAll(() => sandbox.dispose());

  it('leaves plain words bare and quotes the rest', () => {
    expect(shellCommand(['kubectl', 'set', 'image', 'deployment/web', 'app=reg:5000/a/b:v1@sha256:ab'])).toBe(
      'kubectl set image deployment/web app=reg:5000/a/b:v1@sha256:ab',
    );
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('=ls')).toBe("'=ls'");
    expect(shellQuote('~root')).toBe("'~root'");
    expect(shellQuote('a\nb')).toBe("$'a\\nb'");
    expect(shellQuote('\x1b]52;c;x\x07')).toBe("$'\\x1b]52;c;x\\x07'");
    expect(shellQuote("a'\\\u202e")).toBe("$'a\\'\\\\\\u202e'");
  });

  it('every rendered command line gives bash exactly the intended argv and runs nothing else', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), (words) => {
        const result = sandbox.paste(shellCommand(['argv-echo', ...words]));
        expect(result.parses).toBe(true);
        expect(result.created).toEqual([]);
        expect(result.calls).toEqual([{ unknown: false, argv: ['argv-echo', ...words.map(asArgv)] }]);
      }),
      { numRuns: 150 },
    );
  });

  it('a comment cannot end early: a newline in it is shown, not obeyed', () => {
    const text = `${shellCommand(['argv-echo', 'x'])}  ${comment('on node a\ntouch PWNED')}`;
    expect(text).toBe('argv-echo x  # on node a\\ntouch PWNED');
    expect(sandbox.paste(text).calls).toEqual([{ unknown: false, argv: ['argv-echo', 'x'] }]);
  });

  it('escapeControl shows terminal controls as escapes and keeps other text', () => {
    expect(escapeControl('ok\x1b]52;c;eA==\x07 \u009b1m \u202e\t日本')).toBe(
      'ok\\x1b]52;c;eA==\\x07 \\u009b1m \\u202e\\t日本',
    );
  });
});
