import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { Public } from '@mfm/platform/auth/auth.decorators';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { UsersLimits } from '../rate-limits';
import { UserResponse } from '../accounts/user.response';
import {
  AcceptedResponse,
  MailedTokenDto,
  PasswordResetDto,
  PasswordResetRequestDto,
} from './email-flows.dto';
import { EmailFlows } from './email-flows.service';

/** What the links of the store's mails open, signed in or not: verify, reset, move the address. */
@ApiTags('auth')
@Controller('api/auth')
export class EmailLinksController {
  constructor(private readonly flows: EmailFlows) {}

  @Post('verify-email')
  @Public()
  @RateLimit(UsersLimits.emailVerification)
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
  @RateLimit(UsersLimits.passwordReset)
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
  @RateLimit(UsersLimits.passwordReset)
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
  @RateLimit(UsersLimits.emailVerification)
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
}
