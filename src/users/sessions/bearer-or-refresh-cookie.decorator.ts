import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiExtension } from '@nestjs/swagger';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { OptionalBearerAuthGuard } from '@mfm/platform/auth/auth.guards';
import { REFRESH_COOKIE_SCHEME } from '@mfm/platform/http/refresh-cookie';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';

/**
 * A signed-in caller identified by the bearer token or, for a browser whose access token is gone,
 * by the refresh cookie. The guard checks a bearer token when one is sent (401 if invalid); the
 * handler falls back to the cookie and refuses a request with neither (401 UNAUTHENTICATED).
 * The OpenAPI document lists both as alternatives.
 */
export function BearerOrRefreshCookie(): MethodDecorator {
  return applyDecorators(
    UseGuards(OptionalBearerAuthGuard),
    ApiBearerAuth(),
    ApiCookieAuth(REFRESH_COOKIE_SCHEME),
    ApiExtension('x-access', 'authenticated'),
    // Neither a bearer token nor the cookie, an invalid bearer token, or a refused cookie.
    ApiErrors(
      PlatformErrors.UNAUTHENTICATED,
      PlatformErrors.INVALID_TOKEN,
      UsersErrors.INVALID_REFRESH_TOKEN,
    ),
  );
}
