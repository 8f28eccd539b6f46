import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { CurrentUser, Public } from '@mfm/platform/auth/auth.decorators';
import {
  CSRF_HEADER,
  readRefreshCookie,
  REFRESH_COOKIE,
  REFRESH_COOKIE_SCHEME,
} from '@mfm/platform/http/refresh-cookie';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { UsersLimits } from '../rate-limits';
import { MfaChallengeResponse } from '../two-factor/mfa.dto';
import { AuthService } from './auth.service';
import { bearerToken } from './bearer-token';
import { BearerOrRefreshCookie } from './bearer-or-refresh-cookie.decorator';
import { cookieChosen, signedInByCookie, tokenInCookie } from './cookie-flows';
import { LoginDto } from './login.dto';
import { RefreshDto } from './refresh.dto';
import { RefreshCookie, TOKEN_ANSWER_HEADERS, TokenAnswer } from './token-answer.decorator';
import { TokenPairResponse } from './token-pair.response';

/** A session's life: the password login, the refresh of its tokens, the logout. */
@ApiTags('auth')
@Controller('api/auth')
export class SessionsController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @ApiOperation({
    operationId: 'login',
    summary: 'Log in: an access token (RS256 JWT) and a single-use refresh token',
    description:
      'With `refreshTokenIn: "cookie"` the refresh token is set in the httpOnly ' +
      `\`${REFRESH_COOKIE}\` cookie (Path=/api/auth, SameSite=Strict, Secure) instead of the ` +
      `answer; the request must then carry \`${CSRF_HEADER}: 1\`.`,
  })
  @HttpCode(200)
  @TokenAnswer(cookieChosen, {
    description:
      'The tokens; or, for an account with two-factor sign-in on, a challenge (`mfaRequired: true`) ' +
      'to complete at POST /api/auth/login/mfa.',
    headers: TOKEN_ANSWER_HEADERS,
    schema: {
      oneOf: [
        { $ref: getSchemaPath(TokenPairResponse) },
        { $ref: getSchemaPath(MfaChallengeResponse) },
      ],
    },
  })
  @ApiExtraModels(TokenPairResponse, MfaChallengeResponse)
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.INVALID_CREDENTIALS,
    UsersErrors.ACCOUNT_DISABLED,
    PlatformErrors.CSRF_HEADER_REQUIRED,
    PlatformErrors.ORIGIN_NOT_ALLOWED,
    UsersErrors.TOO_MANY_LOGIN_ATTEMPTS,
  )
  login(
    @Body() body: LoginDto,
    @Req() request: FastifyRequest,
  ): Promise<TokenPairResponse | MfaChallengeResponse> {
    return this.auth.login(body.username, body.password, request.ip);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @TokenAnswer(tokenInCookie)
  @RateLimit(UsersLimits.refresh)
  @ApiOperation({
    operationId: 'refreshTokens',
    summary: 'Exchange a refresh token for a new pair',
    description:
      'Each refresh token works once. Presenting a used one revokes the whole session. The ' +
      `token comes from the body, or, when the body has none, from the \`${REFRESH_COOKIE}\` ` +
      `cookie (with \`${CSRF_HEADER}: 1\`): the new one then replaces it in the cookie.`,
  })
  @ApiCookieAuth(REFRESH_COOKIE_SCHEME)
  @ApiSecurity({}) // or no cookie: the token in the body
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    PlatformErrors.REFRESH_TOKEN_MISSING,
    UsersErrors.INVALID_REFRESH_TOKEN,
    UsersErrors.REFRESH_TOKEN_REUSED,
    PlatformErrors.CSRF_HEADER_REQUIRED,
    PlatformErrors.ORIGIN_NOT_ALLOWED,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  refresh(@Body() body: RefreshDto, @Req() request: FastifyRequest): Promise<TokenPairResponse> {
    const token = body.refreshToken ?? readRefreshCookie(request);
    if (token === undefined)
      throw PlatformErrors.REFRESH_TOKEN_MISSING.error({
        fields: [
          {
            field: 'refreshToken',
            messages: [`refreshToken is required, in the body or in the ${REFRESH_COOKIE} cookie`],
          },
        ],
      });
    return this.auth.refresh(token);
  }

  @Post('logout')
  @HttpCode(204)
  @RefreshCookie(signedInByCookie)
  @ApiOperation({
    operationId: 'logout',
    summary: "End this token's session: its access and refresh tokens stop working",
    description:
      'Identifies the session by the bearer token, or, without one, by the ' +
      `\`${REFRESH_COOKIE}\` cookie (with \`${CSRF_HEADER}: 1\`). The cookie, if sent, is cleared.`,
  })
  @BearerOrRefreshCookie()
  @ApiNoContentResponse({
    description: 'Logged out',
    headers: {
      'Set-Cookie': {
        description: `When the request carried the cookie: \`${REFRESH_COOKIE}=; Max-Age=0; …\` (cleared)`,
        schema: { type: 'string' },
      },
    },
  })
  @ApiErrors(PlatformErrors.CSRF_HEADER_REQUIRED, PlatformErrors.ORIGIN_NOT_ALLOWED)
  async logout(
    @CurrentUser() user: VerifiedUser | undefined,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    // Another site's page cannot send a bearer token, so this needs no CSRF proof.
    if (user) return this.auth.logout(bearerToken(request));
    const fromCookie = readRefreshCookie(request);
    if (fromCookie === undefined) throw PlatformErrors.UNAUTHENTICATED.error();
    await this.auth.logoutWithRefreshToken(fromCookie);
  }
}
