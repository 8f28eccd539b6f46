import type { FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/cookie';
import { AppConfig } from '../config/app-config';
import { PlatformErrors } from '../errors/error-codes';

/**
 * The refresh token as an httpOnly cookie, for browser clients that opt in: script on the page
 * (an XSS payload included) cannot read it, and the browser sends it only to the sign-in routes
 * of this site. Because the browser sends it by itself, every request that relies on it must
 * prove it comes from the shop's own pages (see assertCookieRequestAllowed).
 */
export const REFRESH_COOKIE = 'mfm_refresh';

/** The cookie travels only with /api/auth/... requests (login, refresh, logout). */
export const REFRESH_COOKIE_PATH = '/api/auth';

/** The OpenAPI security scheme that describes the cookie. */
export const REFRESH_COOKIE_SCHEME = 'refreshCookie';

/** The header a cookie-flow request must carry with the value `1`. */
export const CSRF_HEADER = 'X-CSRF';

/** Where a client wants its refresh token: in the JSON body (the default) or in the cookie. */
export const REFRESH_TOKEN_PLACES = ['body', 'cookie'] as const;
export type RefreshTokenPlace = (typeof REFRESH_TOKEN_PLACES)[number];

function cookieOptions(config: AppConfig) {
  return {
    httpOnly: true,
    secure: config.browser.refreshCookieSecure,
    sameSite: 'strict' as const,
    path: REFRESH_COOKIE_PATH,
  };
}

/** The refresh token the browser sent in the cookie, if any. */
export function readRefreshCookie(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[REFRESH_COOKIE];
  return value ? value : undefined;
}

export function setRefreshCookie(reply: FastifyReply, token: string, config: AppConfig): void {
  void reply.setCookie(REFRESH_COOKIE, token, {
    ...cookieOptions(config),
    maxAge: config.auth.refreshTokenTtlSeconds,
  });
}

export function clearRefreshCookie(reply: FastifyReply, config: AppConfig): void {
  void reply.clearCookie(REFRESH_COOKIE, cookieOptions(config));
}

/**
 * The CSRF defence of the cookie flow. A page on another site can make the browser send a POST
 * with the cookie attached (SameSite=Strict already stops most of that), but it cannot add a
 * custom header without a CORS preflight, which only CORS_ORIGINS pass: so the request must carry
 * `X-CSRF: 1`. When the browser names the page's origin, it must also be this site's own origin
 * or one of CORS_ORIGINS. Refused with 403, before anything is spent or changed.
 *
 * "Own origin" is the request's scheme and Host as this process sees them; behind a proxy that
 * rewrites Host (or terminates TLS) they differ from what the page sees, so the browser's own
 * `Sec-Fetch-Site: same-origin` (a header page scripts cannot set) counts as well.
 */
export function assertCookieRequestAllowed(request: FastifyRequest, config: AppConfig): void {
  if (request.headers[CSRF_HEADER.toLowerCase()] !== '1')
    throw PlatformErrors.CSRF_HEADER_REQUIRED.error({ header: CSRF_HEADER });
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const own = `${request.protocol}://${request.host}`;
  const sameOrigin = origin === own || request.headers['sec-fetch-site'] === 'same-origin';
  if (!sameOrigin && !config.browser.corsOrigins.includes(origin))
    throw PlatformErrors.ORIGIN_NOT_ALLOWED.error({ origin });
}
