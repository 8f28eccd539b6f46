import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyRequest } from 'fastify';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser, WithoutEmployeeMfa } from '@mfm/platform/auth/auth.decorators';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { AppError } from '@mfm/platform/errors/error-body';
import { EmailChangeRequestDto } from '../email-flows/email-flows.dto';
import {
  BackupCodesResponse,
  MfaCodeDto,
  MfaDisableDto,
  MfaStatusResponse,
  TotpEnrolmentResponse,
} from '../two-factor/mfa.dto';
import {
  PasskeyOptionsResponse,
  PasskeyRegistrationDto,
  PasskeyResponse,
} from '../passkeys/passkey.dto';
import { EmailFlows } from '../email-flows/email-flows.service';
import { MfaService } from '../two-factor/mfa.service';
import { PasskeysService } from '../passkeys/passkeys.service';
import { PasskeyReauthenticateDto, ReauthenticateDto, StepUpResponse } from './step-up.dto';
import { StepUpService } from './step-up.service';
import { AccessClaims, AccessTokensService } from '../sessions/access-tokens.service';

/** The claims of the caller's own token (already checked by the guard): its session, its amr. */
const bearer = (request: FastifyRequest): string =>
  (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');

const RECENT = [UsersErrors.REAUTHENTICATION_REQUIRED];

/**
 * What an account does about its own security: its address, two-factor sign-in, passkeys. Adding
 * or removing a way to sign in and changing the address need a recent re-authentication
 * (POST /api/users/me/reauthenticate); turning two-factor sign-in off asks for the password and a
 * current code itself.
 */
@ApiTags('account security')
@WithoutEmployeeMfa()
@Controller('api/users/me')
export class AccountSecurityController {
  constructor(
    private readonly flows: EmailFlows,
    private readonly mfa: MfaService,
    private readonly passkeys: PasskeysService,
    private readonly stepUp: StepUpService,
    private readonly accessTokens: AccessTokensService,
  ) {}

  private claims(request: FastifyRequest): AccessClaims {
    return this.accessTokens.verify(bearer(request));
  }

  @Post('reauthenticate')
  @Auth()
  @RateLimit('mfa')
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
  @RateLimit('mfa')
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

  @Post('email-verification')
  @Auth()
  @RateLimit('emailVerification')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'resendEmailVerification',
    summary: 'Mail a new verification link (earlier links stop working)',
  })
  @ApiAcceptedResponse({ description: 'The mail is on its way' })
  @ApiErrors(UsersErrors.EMAIL_ALREADY_VERIFIED, PlatformErrors.TOO_MANY_REQUESTS)
  async resendVerification(@CurrentUser() caller: VerifiedUser): Promise<void> {
    await this.flows.resendVerification(caller.userId);
  }

  @Post('email')
  @Auth()
  @RateLimit('emailVerification')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'requestEmailChange',
    summary: 'Change your address: a confirmation link goes to the new one',
    description:
      'The account keeps its address until the link mailed to the new one is opened ' +
      '(POST /api/auth/email-change/confirm).',
  })
  @ApiAcceptedResponse({ description: 'The confirmation is on its way to the new address' })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.WRONG_PASSWORD,
    UsersErrors.EMAIL_UNCHANGED,
    UsersErrors.EMAIL_TAKEN,
    UsersErrors.TOO_MANY_LOGIN_ATTEMPTS,
    PlatformErrors.TOO_MANY_REQUESTS,
    ...RECENT,
  )
  async requestEmailChange(
    @CurrentUser() caller: VerifiedUser,
    @Body() body: EmailChangeRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    this.stepUp.assertRecent(caller);
    await this.flows.requestEmailChange(caller.userId, body.newEmail, body.password, request.ip);
  }

  @Get('mfa')
  @Auth()
  @ApiOperation({ operationId: 'getMfaStatus', summary: 'Your second factors' })
  @ApiOkResponse({ type: MfaStatusResponse })
  status(@CurrentUser() caller: VerifiedUser): Promise<MfaStatusResponse> {
    return this.mfa.status(caller.userId);
  }

  @Post('mfa/totp')
  @Auth()
  @ApiOperation({
    operationId: 'startTotpEnrolment',
    summary: 'Enrol an authenticator app: a secret, its otpauth:// URI and a QR code',
    description: 'Confirm with a first code of the app at POST /api/users/me/mfa/totp/confirm.',
  })
  @ApiCreatedResponse({ type: TotpEnrolmentResponse })
  @ApiErrors(UsersErrors.MFA_ALREADY_ENABLED, ...RECENT)
  startTotp(@CurrentUser() caller: VerifiedUser): Promise<TotpEnrolmentResponse> {
    this.stepUp.assertRecent(caller);
    return this.mfa.startTotp(caller.userId);
  }

  @Post('mfa/totp/confirm')
  @Auth()
  @RateLimit('mfa')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'confirmTotpEnrolment',
    summary: 'Turn two-factor sign-in on with a first code of the app: ten backup codes',
    description: 'The backup codes are shown this once. Log in again for a multi-factor session.',
  })
  @ApiOkResponse({ type: BackupCodesResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.INVALID_MFA_CODE,
    UsersErrors.MFA_ALREADY_ENABLED,
    UsersErrors.MFA_NOT_ENROLLING,
    PlatformErrors.TOO_MANY_REQUESTS,
    ...RECENT,
  )
  async confirmTotp(
    @CurrentUser() caller: VerifiedUser,
    @Body() body: MfaCodeDto,
    @Req() request: FastifyRequest,
  ): Promise<BackupCodesResponse> {
    this.stepUp.assertRecent(caller);
    const { sid } = this.claims(request);
    return { backupCodes: await this.mfa.confirmTotp(caller.userId, body.code, sid) };
  }

  @Post('mfa/backup-codes')
  @Auth()
  @RateLimit('mfa')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'regenerateBackupCodes',
    summary: 'Ten new backup codes (the old ones stop working), against a code of the app',
  })
  @ApiOkResponse({ type: BackupCodesResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.INVALID_MFA_CODE,
    UsersErrors.MFA_CODE_REUSED,
    UsersErrors.MFA_NOT_ENABLED,
    UsersErrors.TOO_MANY_MFA_ATTEMPTS,
    PlatformErrors.TOO_MANY_REQUESTS,
    ...RECENT,
  )
  async regenerateBackupCodes(
    @CurrentUser() caller: VerifiedUser,
    @Body() body: MfaCodeDto,
  ): Promise<BackupCodesResponse> {
    this.stepUp.assertRecent(caller);
    return { backupCodes: await this.mfa.regenerateBackupCodes(caller.userId, body.code) };
  }

  @Post('mfa/disable')
  @Auth()
  @RateLimit('mfa')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'disableMfa',
    summary: 'Turn two-factor sign-in off: your password and a current code (or a backup code)',
  })
  @ApiNoContentResponse({ description: 'Two-factor sign-in is off; the backup codes are gone' })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.WRONG_PASSWORD,
    UsersErrors.INVALID_MFA_CODE,
    UsersErrors.MFA_CODE_REUSED,
    UsersErrors.MFA_NOT_ENABLED,
    UsersErrors.TOO_MANY_MFA_ATTEMPTS,
    UsersErrors.TOO_MANY_LOGIN_ATTEMPTS,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async disable(
    @CurrentUser() caller: VerifiedUser,
    @Body() body: MfaDisableDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.mfa.disable(caller.userId, body.password, body.code, request.ip);
  }

  @Get('passkeys')
  @Auth()
  @ApiOperation({ operationId: 'listPasskeys', summary: 'Your passkeys' })
  @ApiOkResponse({ type: [PasskeyResponse] })
  async listPasskeys(@CurrentUser() caller: VerifiedUser): Promise<PasskeyResponse[]> {
    return (await this.passkeys.list(caller.userId)).map((p) => PasskeyResponse.from(p));
  }

  @Post('passkeys/options')
  @Auth()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'passkeyRegistrationOptions',
    summary: 'Start adding a passkey: WebAuthn creation options',
  })
  @ApiOkResponse({ type: PasskeyOptionsResponse })
  @ApiErrors(...RECENT)
  async registrationOptions(@CurrentUser() caller: VerifiedUser): Promise<PasskeyOptionsResponse> {
    this.stepUp.assertRecent(caller);
    const { challengeId, options } = await this.passkeys.registrationOptions(caller.userId);
    return { challengeId, options: options as unknown as Record<string, unknown> };
  }

  @Post('passkeys')
  @Auth()
  @ApiOperation({
    operationId: 'addPasskey',
    summary: 'Add a passkey: the credential of `navigator.credentials.create()`',
  })
  @ApiCreatedResponse({ type: PasskeyResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.PASSKEY_CHALLENGE_INVALID,
    UsersErrors.PASSKEY_REJECTED,
    UsersErrors.PASSKEY_EXISTS,
    UsersErrors.TOO_MANY_PASSKEYS,
    ...RECENT,
  )
  async addPasskey(
    @CurrentUser() caller: VerifiedUser,
    @Body() body: PasskeyRegistrationDto,
    @Req() request: FastifyRequest,
  ): Promise<PasskeyResponse> {
    this.stepUp.assertRecent(caller);
    const passkey = await this.passkeys.register(
      caller.userId,
      body.challengeId,
      body.credential as unknown as RegistrationResponseJSON,
      body.name,
      this.claims(request).sid,
    );
    return PasskeyResponse.from(passkey);
  }

  @Delete('passkeys/:passkeyId')
  @Auth()
  @HttpCode(204)
  @ApiOperation({ operationId: 'removePasskey', summary: 'Remove one of your passkeys' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, UsersErrors.PASSKEY_NOT_FOUND, ...RECENT)
  async removePasskey(
    @CurrentUser() caller: VerifiedUser,
    @Param('passkeyId') passkeyId: string,
  ): Promise<void> {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(passkeyId))
      throw new AppError(
        400,
        'VALIDATION_FAILED',
        'passkeyId must be a credential id (base64url)',
        {
          fields: [{ field: 'passkeyId', messages: ['must be base64url'] }],
        },
      );
    this.stepUp.assertRecent(caller);
    await this.passkeys.remove(caller.userId, passkeyId);
  }
}
