import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser, WithoutEmployeeMfa } from '@mfm/platform/auth/auth.decorators';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { UsersLimits } from '../rate-limits';
import { RecentAuth } from '../step-up/recent';
import { EmailChangeRequestDto } from './email-flows.dto';
import { EmailFlows } from './email-flows.service';

/** The signed-in account's own address: a new verification link, a move to another address. */
@ApiTags('account security')
@WithoutEmployeeMfa()
@Controller('api/users/me')
export class EmailAddressController {
  constructor(private readonly flows: EmailFlows) {}

  @Post('email-verification')
  @Auth()
  @RateLimit(UsersLimits.emailVerification)
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
  @RecentAuth()
  @RateLimit(UsersLimits.emailVerification)
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
  )
  async requestEmailChange(
    @CurrentUser() caller: VerifiedUser,
    @Body() body: EmailChangeRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.flows.requestEmailChange(caller.userId, body.newEmail, body.password, request.ip);
  }
}
