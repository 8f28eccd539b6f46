import { applyDecorators, Header, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, type ApiResponseOptions } from '@nestjs/swagger';
import { CSRF_HEADER, REFRESH_COOKIE } from '@mfm/platform/http/refresh-cookie';
import {
  CookieFlow,
  REFRESH_COOKIE_FLOW,
  RefreshCookieHandOver,
} from './refresh-cookie.interceptor';
import { TokenPairResponse } from './token-pair.response';

export const CSRF_HEADER_DOC = {
  name: CSRF_HEADER,
  required: false,
  enum: ['1'],
  description: `Required, with the value 1, on every request that uses the \`${REFRESH_COOKIE}\` cookie (CSRF defence).`,
};

/** The headers of an answer that carries tokens. */
export const TOKEN_ANSWER_HEADERS = {
  'Cache-Control': {
    description: 'no-store: tokens are never kept by a cache',
    schema: { type: 'string', example: 'no-store' },
  },
  'Set-Cookie': {
    description: `Only with the cookie flow: \`${REFRESH_COOKIE}=<refresh token>; Max-Age=<refreshExpiresIn>; Path=/api/auth; HttpOnly; Secure; SameSite=Strict\``,
    schema: { type: 'string' },
  },
};

/**
 * The browser's side of a route's tokens: the CSRF header documented, and the refresh cookie set
 * or cleared by `RefreshCookieHandOver` for a request `flow` puts in the cookie flow. Place it
 * above `@RateLimit`, so the limit counts the request first.
 */
export function RefreshCookie(flow: CookieFlow): MethodDecorator {
  return applyDecorators(
    SetMetadata(REFRESH_COOKIE_FLOW, flow),
    UseInterceptors(RefreshCookieHandOver),
    ApiHeader(CSRF_HEADER_DOC),
  );
}

/**
 * A route that answers with tokens: never cached, the refresh token in the body or, in the cookie
 * flow, in the cookie. `ok` documents the answer (a token pair unless it says otherwise). The
 * route writes `@HttpCode(200)` itself: the API document's generator reads the status from the
 * source, so one set in here would leave a stray 201 in the document.
 */
export function TokenAnswer(
  flow: CookieFlow,
  ok: ApiResponseOptions = { type: TokenPairResponse, headers: TOKEN_ANSWER_HEADERS },
): MethodDecorator {
  return applyDecorators(
    Header('Cache-Control', 'no-store'),
    RefreshCookie(flow),
    ApiOkResponse(ok),
  );
}
