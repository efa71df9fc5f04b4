/** One challenge of a `WWW-Authenticate` header: the scheme (lower-cased) and its parameters. */
export interface AuthChallenge {
  /** `bearer`, `basic`, … (lower case; schemes are case-insensitive, RFC 9110 §11.1). */
  readonly scheme: string;
  /** Parameter names lower-cased; values unquoted and unescaped. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z/:]/;

/**
 * Parses a `WWW-Authenticate` header value into its challenges (RFC 9110 §11.6.1). A header may carry
 * several challenges (`Basic realm="x", Bearer realm="y",service="z"`) and quoted values may contain
 * commas (`scope="repository:a:pull,push"`), so splitting on commas is wrong. A malformed tail is
 * dropped rather than thrown on: one odd header should not hide the challenges before it.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let i = 0;
  const n = header.length;
  const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';
  const skipSpace = (): void => {
    while (i < n && isSpace(header[i])) i++;
  };
  /** Skips spaces and commas; says whether a comma was crossed. */
  const skipSeparators = (): boolean => {
    let comma = false;
    while (i < n && (isSpace(header[i]) || header[i] === ',')) {
      if (header[i] === ',') comma = true;
      i++;
    }
    return comma;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  const readQuoted = (): string => {
    i++; // opening quote
    let value = '';
    while (i < n && header[i] !== '"') {
      if (header[i] === '\\' && i + 1 < n) i++;
      value += header[i];
      i++;
    }
    i++; // closing quote (or end of input)
    return value;
  };

  skipSeparators();
  while (i < n) {
    const scheme = readToken();
    if (scheme === '') break;
    const params: Record<string, string> = {};
    challenges.push({ scheme: scheme.toLowerCase(), params });
    let first = true;
    for (;;) {
      const crossedComma = skipSeparators();
      if (i >= n) break;
      const save = i;
      const name = readToken();
      skipSpace();
      if (name !== '' && header[i] === '=' && header[i + 1] !== '=') {
        i++;
        skipSpace();
        const quoted = header[i] === '"';
        const value = quoted ? readQuoted() : readToken();
        // `Negotiate YII=`: a token68 ending in one '=' right after the scheme, not an empty parameter.
        if (!(first && !crossedComma && !quoted && value === '')) params[name.toLowerCase()] = value;
      } else if (first && !crossedComma && name !== '') {
        // token68 right after the scheme (`Negotiate YII=`): not a parameter, not a new scheme.
        while (i < n && header[i] === '=') i++;
      } else {
        i = save; // the next challenge's scheme
        break;
      }
      first = false;
      if (i === save) break; // no progress: malformed input
    }
  }
  return challenges;
}
