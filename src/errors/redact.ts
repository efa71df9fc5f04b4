/**
 * Credentials must never reach output, logs or errors. These helpers scrub the usual carriers:
 * `user:password@` in URLs, `Authorization` values, bearer tokens and token-like query parameters.
 */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+(?::[^/@\s]*)?@/gi;
const AUTH_HEADER =
  /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(basic|bearer)\s+[^\s"',}]+/gi;
const BARE_BEARER = /\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const SECRET_PARAM =
  /([?&](?:access_token|token|password|secret|client_secret|refresh_token|identitytoken)=)[^&\s"']+/gi;
const SECRET_FIELD =
  /("(?:password|secret|token|access_token|refresh_token|identitytoken|auth)"\s*:\s*")[^"]*"/gi;

/** Replaces every credential-looking substring of `text` with `REDACTED`. */
export function redact(text: string): string {
  return text
    .replace(URL_USERINFO, '$1REDACTED@')
    .replace(AUTH_HEADER, '$1$2$3 REDACTED')
    .replace(BARE_BEARER, '$1 REDACTED')
    .replace(SECRET_PARAM, '$1REDACTED')
    .replace(SECRET_FIELD, '$1REDACTED"');
}

/** A URL fit for messages: no user info, no secret query parameters. */
export function redactUrl(url: string | URL): string {
  return redact(String(url));
}
