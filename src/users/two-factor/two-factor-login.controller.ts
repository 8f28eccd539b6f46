import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { MfaChallengeDto, MfaLoginDto } from './mfa.dto';
import { TwoFactorChallenges } from './two-factor-challenges.service';

/** The second step of a password login with a code: the app's, a backup code, or a mailed one. */
@ApiTags('auth')
@Controller('api/auth')
export class TwoFactorLoginController {
  constructor(
    private readonly auth: AuthService,
    private readonly challenges: TwoFactorChallenges,
  ) {}

  @Post('login/mfa')
  @Public()
  @HttpCode(200)
  @TokenAnswer(cookieChosen)
  @RateLimit(UsersLimits.mfa)
  @ApiOperation({
    operationId: 'completeMfaLogin',
    summary: 'Second step of a login: a code of the app, a backup code, or the mailed code',
    description:
      'Completes the challenge of a login answered with `mfaRequired: true`. A challenge lives ' +
      '5 minutes and allows 5 wrong codes; wrong codes also count per account. A code of the app ' +
      'works once. The tokens say `amr: ["pwd", "otp", "mfa"]`.',
  })
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
  completeMfaLogin(@Body() body: MfaLoginDto): Promise<TokenPairResponse> {
    return this.auth.completeMfaLogin(body.mfaToken, body.code, body.method);
  }

  @Post('login/mfa/email-code')
  @Public()
  @RateLimit(UsersLimits.mfa)
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
    UsersErrors.TOO_MANY_EMAIL_CODES_FOR_ACCOUNT,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async mailMfaLoginCode(@Body() body: MfaChallengeDto): Promise<void> {
    await this.challenges.mailLoginCode(body.mfaToken);
  }
}
