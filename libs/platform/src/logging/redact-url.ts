/** Routes whose whole query string stays out of the logs: whatever a client puts there is about credentials. */
const isSignInPath = (path: string): boolean =>
  path === '/api/auth' || path.startsWith('/api/auth/');

/** Query parameters that may carry a credential on any route (access_token, token, refreshToken, password, …). */
const SENSITIVE_PARAM = /token|password|secret/i;

export const REDACTED = '[redacted]';

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * The request URL as the access log may show it: the query string of the sign-in routes is
 * replaced as a whole, and elsewhere the value of any parameter whose name speaks of a token,
 * password or secret. Tokens are only accepted in the Authorization header, but a client that
 * puts one in a URL anyway must not have it copied into every log line and log store.
 */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const path = url.slice(0, mark);
  if (isSignInPath(path)) return `${path}?${REDACTED}`;
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return SENSITIVE_PARAM.test(decodedName(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}
