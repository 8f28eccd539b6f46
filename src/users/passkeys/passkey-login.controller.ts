import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { Public } from '@mfm/platform/auth/auth.decorators';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { UsersLimits } from '../rate-limits';
import { AuthService } from '../sessions/auth.service';
import { cookieChosen } from '../sessions/cookie-flows';
import { TokenAnswer } from '../sessions/token-answer.decorator';
import { TokenPairResponse } from '../sessions/token-pair.response';
import { MfaPasskeyLoginDto, PasskeyLoginDto, PasskeyOptionsResponse } from './passkey.dto';
import { PasskeysService } from './passkeys.service';

/** Signing in with a passkey: alone (it verifies the user), or as a login's second step. */
@ApiTags('auth')
@Controller('api/auth')
export class PasskeyLoginController {
  constructor(
    private readonly auth: AuthService,
    private readonly passkeys: PasskeysService,
  ) {}

  @Post('login/mfa/passkey')
  @Public()
  @HttpCode(200)
  @TokenAnswer(cookieChosen)
  @RateLimit(UsersLimits.mfa)
  @ApiOperation({
    operationId: 'completeMfaLoginWithPasskey',
    summary: "Second step of a login: one of the account's passkeys",
    description:
      'For a challenge whose `methods` include `passkey`: options from POST ' +
      '/api/auth/passkey/options, the assertion of `navigator.credentials.get()`, and the ' +
      '`mfaToken`. The passkey must be the account\'s. The tokens say `amr: ["pwd", "hwk", "mfa"]`.',
  })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.MFA_CHALLENGE_INVALID,
    UsersErrors.PASSKEY_CHALLENGE_INVALID,
    UsersErrors.PASSKEY_LOGIN_REJECTED,
    UsersErrors.PASSKEY_ASSERTION_REJECTED,
    UsersErrors.PASSKEY_OTHER_ACCOUNT,
    UsersErrors.PASSKEY_UNKNOWN,
    UsersErrors.ACCOUNT_DISABLED,
    PlatformErrors.CSRF_HEADER_REQUIRED,
    PlatformErrors.ORIGIN_NOT_ALLOWED,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  completeMfaLoginWithPasskey(@Body() body: MfaPasskeyLoginDto): Promise<TokenPairResponse> {
    return this.auth.completeMfaLoginWithPasskey(body.mfaToken, () =>
      this.passkeys.login(
        body.challengeId,
        body.credential as unknown as AuthenticationResponseJSON,
      ),
    );
  }

  @Post('passkey/options')
  @Public()
  @RateLimit(UsersLimits.mfa)
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
  @HttpCode(200)
  @TokenAnswer(cookieChosen)
  @RateLimit(UsersLimits.mfa)
  @ApiOperation({
    operationId: 'passkeyLogin',
    summary: 'Sign in with a passkey',
    description:
      'The assertion of `navigator.credentials.get()` for the options of POST ' +
      '/api/auth/passkey/options. User verification is required, so the tokens count as ' +
      'multi-factor: `amr: ["hwk", "user", "mfa"]`.',
  })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.PASSKEY_CHALLENGE_INVALID,
    UsersErrors.PASSKEY_LOGIN_REJECTED,
    UsersErrors.PASSKEY_ASSERTION_REJECTED,
    UsersErrors.PASSKEY_UNKNOWN,
    UsersErrors.ACCOUNT_DISABLED,
    PlatformErrors.CSRF_HEADER_REQUIRED,
    PlatformErrors.ORIGIN_NOT_ALLOWED,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async passkeyLogin(@Body() body: PasskeyLoginDto): Promise<TokenPairResponse> {
    const user = await this.passkeys.login(
      body.challengeId,
      body.credential as unknown as AuthenticationResponseJSON,
    );
    return this.auth.startSession(user, ['hwk', 'user', 'mfa'], { passkey: true });
  }
}
