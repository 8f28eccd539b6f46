import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyRequest } from 'fastify';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { Auth, WithoutEmployeeMfa } from '@mfm/platform/auth/auth.decorators';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { UsersLimits } from '../rate-limits';
import { AccessClaims, AccessTokensService } from '../sessions/access-tokens.service';
import { bearerToken } from '../sessions/bearer-token';
import { PasskeyReauthenticateDto } from '../passkeys/passkey.dto';
import { ReauthenticateDto, StepUpResponse } from './step-up.dto';
import { StepUpService } from './step-up.service';

/**
 * Confirming it is you again: adding or removing a way to sign in and changing the address need a
 * recent re-authentication, which these routes record in a new access token of the session.
 */
@ApiTags('account security')
@WithoutEmployeeMfa()
@Controller('api/users/me')
export class StepUpController {
  constructor(
    private readonly stepUp: StepUpService,
    private readonly accessTokens: AccessTokensService,
  ) {}

  /** The claims of the caller's own token (already checked by the guard): its session, its amr. */
  private claims(request: FastifyRequest): AccessClaims {
    return this.accessTokens.verify(bearerToken(request));
  }

  @Post('reauthenticate')
  @Auth()
  @RateLimit(UsersLimits.mfa)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'reauthenticate',
    summary: 'Confirm it is you: an access token that may change how you sign in, for a while',
    description:
      'Your password, plus a current code of your app (or a backup code) when two-factor sign-in ' +
      'is on. An account whose only second factor is a passkey confirms with it instead ' +
      '(POST /api/users/me/reauthenticate/passkey). The answer is an access token of the same ' +
      'session that counts as recently authenticated for `reauthExpiresIn` seconds ' +
      '(STEP_UP_WINDOW_SECONDS): use it to add or remove a factor or change your address. ' +
      'The password check counts in the login limit.',
  })
  @ApiOkResponse({ type: StepUpResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.WRONG_PASSWORD,
    UsersErrors.INVALID_MFA_CODE,
    UsersErrors.MFA_CODE_REQUIRED,
    UsersErrors.MFA_CODE_REUSED,
    UsersErrors.PASSKEY_REQUIRED,
    UsersErrors.TOO_MANY_LOGIN_ATTEMPTS,
    UsersErrors.TOO_MANY_MFA_ATTEMPTS,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  reauthenticate(
    @Body() body: ReauthenticateDto,
    @Req() request: FastifyRequest,
  ): Promise<StepUpResponse> {
    return this.stepUp.withPassword(this.claims(request), body.password, body.code, request.ip);
  }

  @Post('reauthenticate/passkey')
  @Auth()
  @RateLimit(UsersLimits.mfa)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'reauthenticateWithPasskey',
    summary: 'Confirm it is you with one of your passkeys',
    description:
      'Options from POST /api/auth/passkey/options, then the assertion of ' +
      '`navigator.credentials.get()`. The passkey must be yours. Answers as ' +
      'POST /api/users/me/reauthenticate.',
  })
  @ApiOkResponse({ type: StepUpResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.PASSKEY_CHALLENGE_INVALID,
    UsersErrors.PASSKEY_LOGIN_REJECTED,
    UsersErrors.PASSKEY_ASSERTION_REJECTED,
    UsersErrors.PASSKEY_OTHER_ACCOUNT,
    UsersErrors.PASSKEY_UNKNOWN,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  reauthenticateWithPasskey(
    @Body() body: PasskeyReauthenticateDto,
    @Req() request: FastifyRequest,
  ): Promise<StepUpResponse> {
    return this.stepUp.withPasskey(
      this.claims(request),
      body.challengeId,
      body.credential as unknown as AuthenticationResponseJSON,
    );
  }
}
