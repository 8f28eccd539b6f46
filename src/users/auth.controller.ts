import {
  Body,
  Controller,
  Header,
  HttpCode,
  HttpException,
  Inject,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import {
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { CurrentUser, Public } from '@mfm/platform/auth/auth.decorators';
import {
  assertCookieRequestAllowed,
  clearRefreshCookie,
  CSRF_HEADER,
  readRefreshCookie,
  REFRESH_COOKIE,
  REFRESH_COOKIE_SCHEME,
  setRefreshCookie,
} from '@mfm/platform/auth/refresh-cookie';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { AppError } from '@mfm/platform/errors/error-body';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from './auth.service';
import { BearerOrRefreshCookie } from './bearer-or-refresh-cookie.decorator';
import { LoginDto } from './dto/login.dto';
import { RefreshDto } from './dto/refresh.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenPairResponse, UserResponse } from './dto/user.response';
import { UserAccounts } from './user-accounts.service';

const CSRF_HEADER_DOC = {
  name: CSRF_HEADER,
  required: false,
  enum: ['1'],
  description: `Required, with the value 1, on every request that uses the \`${REFRESH_COOKIE}\` cookie (CSRF defence).`,
};

/**
 * A refresh token refused with 401 never works again, so the browser may as well forget the
 * cookie; after any other failure (storage or a peer down) it is kept for a retry.
 */
const isUnauthorized = (error: unknown): boolean =>
  error instanceof HttpException && error.getStatus() === 401;

/** The headers of an answer that carries tokens. */
const TOKEN_ANSWER_HEADERS = {
  'Cache-Control': {
    description: 'no-store: tokens are never kept by a cache',
    schema: { type: 'string', example: 'no-store' },
  },
  'Set-Cookie': {
    description: `Only with the cookie flow: \`${REFRESH_COOKIE}=<refresh token>; Max-Age=<refreshExpiresIn>; Path=/api/auth; HttpOnly; Secure; SameSite=Strict\``,
    schema: { type: 'string' },
  },
};

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: UserAccounts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('register')
  @Public()
  @RateLimit('register')
  @ApiOperation({
    operationId: 'registerCustomer',
    summary: 'Customer sign-up',
    description: 'Creates a customer account. Roles cannot be chosen here.',
  })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.WEAK_PASSWORD,
    UsersErrors.USERNAME_TAKEN,
    UsersErrors.EMAIL_TAKEN,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async register(@Body() body: RegisterDto): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.create(body, 'customer'));
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'login',
    summary: 'Log in: an access token (RS256 JWT) and a single-use refresh token',
    description:
      'With `refreshTokenIn: "cookie"` the refresh token is set in the httpOnly ' +
      `\`${REFRESH_COOKIE}\` cookie (Path=/api/auth, SameSite=Strict, Secure) instead of the ` +
      `answer; the request must then carry \`${CSRF_HEADER}: 1\`.`,
  })
  @ApiHeader(CSRF_HEADER_DOC)
  @ApiOkResponse({ type: TokenPairResponse, headers: TOKEN_ANSWER_HEADERS })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.INVALID_CREDENTIALS,
    UsersErrors.ACCOUNT_DISABLED,
    PlatformErrors.CSRF_HEADER_REQUIRED,
    PlatformErrors.ORIGIN_NOT_ALLOWED,
    UsersErrors.TOO_MANY_LOGIN_ATTEMPTS,
  )
  async login(
    @Body() body: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairResponse> {
    const inCookie = body.refreshTokenIn === 'cookie';
    if (inCookie) assertCookieRequestAllowed(request, this.config);
    const pair = await this.auth.login(body.username, body.password, request.ip);
    return inCookie ? this.handOverInCookie(pair, reply) : pair;
  }

  @Post('refresh')
  @Public()
  @RateLimit('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
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
  @ApiHeader(CSRF_HEADER_DOC)
  @ApiOkResponse({ type: TokenPairResponse, headers: TOKEN_ANSWER_HEADERS })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.INVALID_REFRESH_TOKEN,
    UsersErrors.REFRESH_TOKEN_REUSED,
    PlatformErrors.CSRF_HEADER_REQUIRED,
    PlatformErrors.ORIGIN_NOT_ALLOWED,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async refresh(
    @Body() body: RefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairResponse> {
    if (body.refreshToken !== undefined) return this.auth.refresh(body.refreshToken);
    const fromCookie = readRefreshCookie(request);
    if (fromCookie === undefined)
      throw new AppError(400, 'VALIDATION_FAILED', 'Invalid request: refreshToken (required)', {
        fields: [
          {
            field: 'refreshToken',
            messages: [`refreshToken is required, in the body or in the ${REFRESH_COOKIE} cookie`],
          },
        ],
      });
    assertCookieRequestAllowed(request, this.config);
    try {
      return this.handOverInCookie(await this.auth.refresh(fromCookie), reply);
    } catch (error) {
      if (isUnauthorized(error)) clearRefreshCookie(reply, this.config);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'logout',
    summary: "End this token's session: its access and refresh tokens stop working",
    description:
      'Identifies the session by the bearer token, or, without one, by the ' +
      `\`${REFRESH_COOKIE}\` cookie (with \`${CSRF_HEADER}: 1\`). The cookie, if sent, is cleared.`,
  })
  @BearerOrRefreshCookie()
  @ApiHeader(CSRF_HEADER_DOC)
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
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const fromCookie = readRefreshCookie(request);
    if (user) {
      // Another site's page cannot send a bearer token, so this needs no CSRF proof.
      const token = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      await this.auth.logout(token);
      if (fromCookie !== undefined) clearRefreshCookie(reply, this.config);
      return;
    }
    if (fromCookie === undefined)
      throw new AppError(401, 'UNAUTHENTICATED', 'A valid bearer token is required');
    assertCookieRequestAllowed(request, this.config);
    try {
      await this.auth.logoutWithRefreshToken(fromCookie);
    } catch (error) {
      if (isUnauthorized(error)) clearRefreshCookie(reply, this.config);
      throw error;
    }
    clearRefreshCookie(reply, this.config);
  }

  /** The answer without the refresh token, which goes into the cookie instead. */
  private handOverInCookie(pair: TokenPairResponse, reply: FastifyReply): TokenPairResponse {
    const { refreshToken, ...rest } = pair;
    if (refreshToken !== undefined) setRefreshCookie(reply, refreshToken, this.config);
    return rest;
  }
}
