import { readRefreshCookie } from '@mfm/platform/http/refresh-cookie';
import { bodyField, CookieFlow } from './refresh-cookie.interceptor';

/** A sign-in whose body asks for the refresh token in the cookie (`refreshTokenIn: "cookie"`). */
export const cookieChosen: CookieFlow = (request) =>
  bodyField(request, 'refreshTokenIn') === 'cookie';

/** A refresh whose body carries no token: the browser's cookie holds it. */
export const tokenInCookie: CookieFlow = (request) =>
  bodyField(request, 'refreshToken') === undefined && readRefreshCookie(request) !== undefined;

/** A logout without a bearer token, identified by the browser's cookie. */
export const signedInByCookie: CookieFlow = (request) =>
  request.user === undefined && readRefreshCookie(request) !== undefined;
