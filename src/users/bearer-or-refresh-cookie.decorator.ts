import { applyDecorators, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiExtension,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { OptionalBearerAuthGuard } from '@mfm/platform/auth/auth.guards';
import { REFRESH_COOKIE_SCHEME } from '@mfm/platform/auth/refresh-cookie';
import { ErrorBodyDto } from '@mfm/platform/http/error-body.dto';

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
    ApiUnauthorizedResponse({
      description:
        'UNAUTHENTICATED (neither a bearer token nor the refresh cookie), an invalid bearer token, or INVALID_REFRESH_TOKEN',
      type: ErrorBodyDto,
    }),
  );
}
