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
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
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
import { ErrorBodyDto } from '@mfm/platform/http/error-body.dto';
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

const CSRF_REFUSED_DOC = {
  description:
    `CSRF_HEADER_REQUIRED (the cookie flow without ${CSRF_HEADER}: 1) or ORIGIN_NOT_ALLOWED ` +
    '(an Origin that is neither this site nor one of CORS_ORIGINS)',
  type: ErrorBodyDto,
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
    summary: 'Customer sign-up',
    description: 'Creates a customer account. Roles cannot be chosen here.',
  })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED (names the fields) or WEAK_PASSWORD',
    type: ErrorBodyDto,
  })
  @ApiConflictResponse({ description: 'USERNAME_TAKEN or EMAIL_TAKEN', type: ErrorBodyDto })
  async register(@Body() body: RegisterDto): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.create(body, 'customer'));
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Log in: an access token (RS256 JWT) and a single-use refresh token',
    description:
      'With `refreshTokenIn: "cookie"` the refresh token is set in the httpOnly ' +
      `\`${REFRESH_COOKIE}\` cookie (Path=/api/auth, SameSite=Strict, Secure) instead of the ` +
      `answer; the request must then carry \`${CSRF_HEADER}: 1\`.`,
  })
  @ApiHeader(CSRF_HEADER_DOC)
  @ApiOkResponse({ type: TokenPairResponse, headers: TOKEN_ANSWER_HEADERS })
  @ApiUnauthorizedResponse({
    description: 'INVALID_CREDENTIALS: same message for a wrong username or password',
    type: ErrorBodyDto,
  })
  @ApiForbiddenResponse({
    description: `ACCOUNT_DISABLED; with the cookie: ${CSRF_REFUSED_DOC.description}`,
    type: ErrorBodyDto,
  })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed logins for this username or address; see Retry-After',
    type: ErrorBodyDto,
  })
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
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED: no refresh token in the body nor in the cookie',
    type: ErrorBodyDto,
  })
  @ApiUnauthorizedResponse({
    description: 'INVALID_REFRESH_TOKEN or REFRESH_TOKEN_REUSED',
    type: ErrorBodyDto,
  })
  @ApiForbiddenResponse(CSRF_REFUSED_DOC)
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
  @ApiForbiddenResponse(CSRF_REFUSED_DOC)
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
