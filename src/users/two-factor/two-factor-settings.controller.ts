import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser, WithoutEmployeeMfa } from '@mfm/platform/auth/auth.decorators';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { UsersLimits } from '../rate-limits';
import { RecentAuth, RecentCaller } from '../step-up/recent';
import {
  BackupCodesResponse,
  MfaCodeDto,
  MfaDisableDto,
  MfaStatusResponse,
  TotpEnrolmentResponse,
} from './mfa.dto';
import { TwoFactorEnrolment } from './two-factor-enrolment.service';

/**
 * The account's two-factor sign-in: enrolling an app, backup codes, turning it off. Turning it on
 * needs a recent re-authentication; turning it off asks for the password and a current code itself.
 */
@ApiTags('account security')
@WithoutEmployeeMfa()
@Controller('api/users/me')
export class TwoFactorSettingsController {
  constructor(private readonly enrolment: TwoFactorEnrolment) {}

  @Get('mfa')
  @Auth()
  @ApiOperation({ operationId: 'getMfaStatus', summary: 'Your second factors' })
  @ApiOkResponse({ type: MfaStatusResponse })
  status(@CurrentUser() caller: VerifiedUser): Promise<MfaStatusResponse> {
    return this.enrolment.status(caller.userId);
  }

  @Post('mfa/totp')
  @RecentAuth()
  @ApiOperation({
    operationId: 'startTotpEnrolment',
    summary: 'Enrol an authenticator app: a secret, its otpauth:// URI and a QR code',
    description: 'Confirm with a first code of the app at POST /api/users/me/mfa/totp/confirm.',
  })
  @ApiCreatedResponse({ type: TotpEnrolmentResponse })
  @ApiErrors(UsersErrors.TOTP_ALREADY_ENROLLED)
  startTotp(@CurrentUser() caller: VerifiedUser): Promise<TotpEnrolmentResponse> {
    return this.enrolment.startTotp(caller.userId);
  }

  @Post('mfa/totp/confirm')
  @RecentAuth()
  @RateLimit(UsersLimits.mfa)
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
  )
  async confirmTotp(
    @RecentCaller() caller: RecentCaller,
    @Body() body: MfaCodeDto,
  ): Promise<BackupCodesResponse> {
    return {
      backupCodes: await this.enrolment.confirmTotp(caller.userId, body.code, caller.sessionId),
    };
  }

  @Post('mfa/backup-codes')
  @RecentAuth()
  @RateLimit(UsersLimits.mfa)
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
  )
  async regenerateBackupCodes(
    @CurrentUser() caller: VerifiedUser,
    @Body() body: MfaCodeDto,
  ): Promise<BackupCodesResponse> {
    return { backupCodes: await this.enrolment.regenerateBackupCodes(caller.userId, body.code) };
  }

  @Post('mfa/disable')
  @Auth()
  @RateLimit(UsersLimits.mfa)
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
    await this.enrolment.disable(caller.userId, body.password, body.code, request.ip);
  }
}
