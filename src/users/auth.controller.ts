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
  ApiAcceptedResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  getSchemaPath,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
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
} from '@mfm/platform/http/refresh-cookie';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { AppError } from '@mfm/platform/errors/error-body';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { AuthService } from './auth.service';
import { BearerOrRefreshCookie } from './bearer-or-refresh-cookie.decorator';
import { LoginDto } from './dto/login.dto';
import { RefreshDto } from './dto/refresh.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenPairResponse, UserResponse } from './dto/user.response';
import { UserAccounts } from './user-accounts.service';
import {
  AcceptedResponse,
  MailedTokenDto,
  PasswordResetDto,
  PasswordResetRequestDto,
} from './dto/email-flows.dto';
import { MfaChallengeDto, MfaChallengeResponse, MfaLoginDto } from './dto/mfa.dto';
import { MfaPasskeyLoginDto, PasskeyLoginDto, PasskeyOptionsResponse } from './dto/passkey.dto';
import { EmailFlows } from './email-flows.service';
import { MfaService } from './mfa/mfa.service';
import { PasskeysService } from './passkeys/passkeys.service';

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
    private readonly flows: EmailFlows,
    private readonly mfa: MfaService,
    private readonly passkeys: PasskeysService,
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
  @ApiExtraModels(TokenPairResponse, MfaChallengeResponse)
  @ApiOkResponse({
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
  ): Promise<TokenPairResponse | MfaChallengeResponse> {
    const inCookie = body.refreshTokenIn === 'cookie';
    if (inCookie) assertCookieRequestAllowed(request, this.config);
    const outcome = await this.auth.login(body.username, body.password, request.ip);
    if ('mfaRequired' in outcome) return outcome;
    return inCookie ? this.handOverInCookie(outcome, reply) : outcome;
  }

  @Post('login/mfa')
  @Public()
  @RateLimit('mfa')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'completeMfaLogin',
    summary: 'Second step of a login: a code of the app, a backup code, or the mailed code',
    description:
      'Completes the challenge of a login answered with `mfaRequired: true`. A challenge lives ' +
      '5 minutes and allows 5 wrong codes; wrong codes also count per account. A code of the app ' +
      'works once. The tokens say `amr: ["pwd", "otp", "mfa"]`.',
  })
  @ApiHeader(CSRF_HEADER_DOC)
  @ApiOkResponse({ type: TokenPairResponse, headers: TOKEN_ANSWER_HEADERS })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.INVALID_MFA_CODE,
    UsersErrors.MFA_CODE_REUSED,
    UsersErrors.MFA_CHALLENGE_INVALID,
    UsersErrors.ACCOUNT_DISABLED,
    PlatformErrors.CSRF_HEADER_REQUIRED,
    PlatformErrors.ORIGIN_NOT_ALLOWED,
    UsersErrors.TOO_MANY_MFA_ATTEMPTS,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async completeMfaLogin(
    @Body() body: MfaLoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairResponse> {
    const inCookie = body.refreshTokenIn === 'cookie';
    if (inCookie) assertCookieRequestAllowed(request, this.config);
    const pair = await this.auth.completeMfaLogin(body.mfaToken, body.code, body.method);
    return inCookie ? this.handOverInCookie(pair, reply) : pair;
  }

  @Post('login/mfa/passkey')
  @Public()
  @RateLimit('mfa')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'completeMfaLoginWithPasskey',
    summary: "Second step of a login: one of the account's passkeys",
    description:
      'For a challenge whose `methods` include `passkey`: options from POST ' +
      '/api/auth/passkey/options, the assertion of `navigator.credentials.get()`, and the ' +
      '`mfaToken`. The passkey must be the account\'s. The tokens say `amr: ["pwd", "hwk", "mfa"]`.',
  })
  @ApiHeader(CSRF_HEADER_DOC)
  @ApiOkResponse({ type: TokenPairResponse, headers: TOKEN_ANSWER_HEADERS })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.MFA_CHALLENGE_INVALID,
    UsersErrors.PASSKEY_CHALLENGE_INVALID,
    UsersErrors.PASSKEY_LOGIN_REJECTED,
    UsersErrors.PASSKEY_UNKNOWN,
    UsersErrors.ACCOUNT_DISABLED,
    PlatformErrors.CSRF_HEADER_REQUIRED,
    PlatformErrors.ORIGIN_NOT_ALLOWED,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async completeMfaLoginWithPasskey(
    @Body() body: MfaPasskeyLoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairResponse> {
    const inCookie = body.refreshTokenIn === 'cookie';
    if (inCookie) assertCookieRequestAllowed(request, this.config);
    const pair = await this.auth.completeMfaLoginWithPasskey(body.mfaToken, () =>
      this.passkeys.login(
        body.challengeId,
        body.credential as unknown as AuthenticationResponseJSON,
      ),
    );
    return inCookie ? this.handOverInCookie(pair, reply) : pair;
  }

  @Post('login/mfa/email-code')
  @Public()
  @RateLimit('mfa')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'mailMfaLoginCode',
    summary: 'Mail a six-digit sign-in code for a login challenge',
    description:
      'The alternative second factor: a code to the verified address of the account, valid ' +
      '10 minutes and once; at most 3 per challenge. Complete with `method: "email"`.',
  })
  @ApiAcceptedResponse({ description: 'The code is on its way' })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.MFA_CHALLENGE_INVALID,
    UsersErrors.EMAIL_NOT_VERIFIED,
    UsersErrors.TOO_MANY_EMAIL_CODES,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async mailMfaLoginCode(@Body() body: MfaChallengeDto): Promise<void> {
    await this.mfa.mailLoginCode(body.mfaToken);
  }

  @Post('passkey/options')
  @Public()
  @RateLimit('mfa')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'passkeyLoginOptions',
    summary: 'Start a sign-in with a passkey: WebAuthn request options',
  })
  @ApiOkResponse({ type: PasskeyOptionsResponse })
  @ApiErrors(PlatformErrors.TOO_MANY_REQUESTS)
  async passkeyLoginOptions(): Promise<PasskeyOptionsResponse> {
    const { challengeId, options } = await this.passkeys.loginOptions();
    return { challengeId, options: options as unknown as Record<string, unknown> };
  }

  @Post('passkey/login')
  @Public()
  @RateLimit('mfa')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'passkeyLogin',
    summary: 'Sign in with a passkey',
    description:
      'The assertion of `navigator.credentials.get()` for the options of POST ' +
      '/api/auth/passkey/options. User verification is required, so the tokens count as ' +
      'multi-factor: `amr: ["hwk", "user", "mfa"]`.',
  })
  @ApiHeader(CSRF_HEADER_DOC)
  @ApiOkResponse({ type: TokenPairResponse, headers: TOKEN_ANSWER_HEADERS })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.PASSKEY_CHALLENGE_INVALID,
    UsersErrors.PASSKEY_LOGIN_REJECTED,
    UsersErrors.PASSKEY_UNKNOWN,
    UsersErrors.ACCOUNT_DISABLED,
    PlatformErrors.CSRF_HEADER_REQUIRED,
    PlatformErrors.ORIGIN_NOT_ALLOWED,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async passkeyLogin(
    @Body() body: PasskeyLoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairResponse> {
    const inCookie = body.refreshTokenIn === 'cookie';
    if (inCookie) assertCookieRequestAllowed(request, this.config);
    const user = await this.passkeys.login(
      body.challengeId,
      body.credential as unknown as AuthenticationResponseJSON,
    );
    const pair = await this.auth.startSession(user, ['hwk', 'user', 'mfa'], { passkey: true });
    return inCookie ? this.handOverInCookie(pair, reply) : pair;
  }

  @Post('verify-email')
  @Public()
  @RateLimit('emailVerification')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'verifyEmail',
    summary: 'Prove the address of an account with the code (token) of the mailed link',
  })
  @ApiNoContentResponse({ description: 'The address is verified' })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.INVALID_VERIFICATION_TOKEN,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async verifyEmail(@Body() body: MailedTokenDto): Promise<void> {
    await this.flows.verifyEmail(body.token);
  }

  @Post('password-reset')
  @Public()
  @RateLimit('passwordReset')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'requestPasswordReset',
    summary: 'Mail a password reset link',
    description:
      'The same answer whether or not an account uses the address, so nobody learns who has ' +
      'one. The link works once, for 30 minutes.',
  })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, PlatformErrors.TOO_MANY_REQUESTS)
  async requestPasswordReset(@Body() body: PasswordResetRequestDto): Promise<AcceptedResponse> {
    await this.flows.requestPasswordReset(body.email);
    return { message: 'If an account uses this address, a reset link is on its way.' };
  }

  @Post('password-reset/confirm')
  @Public()
  @RateLimit('passwordReset')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'resetPassword',
    summary: 'Set a new password with the mailed token; every session of the account ends',
  })
  @ApiNoContentResponse({ description: 'The password is changed; log in again everywhere' })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.INVALID_RESET_TOKEN,
    UsersErrors.WEAK_PASSWORD,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async resetPassword(@Body() body: PasswordResetDto): Promise<void> {
    await this.flows.resetPassword(body.token, body.newPassword);
  }

  @Post('email-change/confirm')
  @Public()
  @RateLimit('emailVerification')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'confirmEmailChange',
    summary: 'Move an account to its new address with the token mailed there',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.INVALID_EMAIL_CHANGE_TOKEN,
    UsersErrors.EMAIL_TAKEN,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async confirmEmailChange(@Body() body: MailedTokenDto): Promise<UserResponse> {
    return UserResponse.from(await this.flows.confirmEmailChange(body.token));
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
