import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser, OptionalAuth } from '@mfm/platform/auth/auth.decorators';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { PageQuery } from '@mfm/platform/http/page.query';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { UsersLimits } from '../rate-limits';
import { FeedbackDto, FeedbackPageResponse, FeedbackResponse } from './feedback.dto';
import { StoreFeedbackService } from './store-feedback.service';

@ApiTags('feedback')
@Controller('api/feedback')
export class StoreFeedbackController {
  constructor(private readonly feedback: StoreFeedbackService) {}

  @Post()
  @OptionalAuth()
  @RateLimit(UsersLimits.feedback)
  @ApiOperation({
    operationId: 'sendStoreFeedback',
    summary: 'The contact form: a message to the store, signed in or not',
    description: 'Stored for employees, and mailed to FEEDBACK_EMAIL when the store sets it.',
  })
  @ApiCreatedResponse({ type: FeedbackResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, PlatformErrors.TOO_MANY_REQUESTS)
  async send(
    @Body() body: FeedbackDto,
    @CurrentUser() caller: VerifiedUser | undefined,
  ): Promise<FeedbackResponse> {
    return FeedbackResponse.from(await this.feedback.submit(body, caller));
  }

  @Get()
  @Auth('employee')
  @ApiOperation({
    operationId: 'listStoreFeedback',
    summary: 'Messages of the contact form, newest first',
  })
  @ApiOkResponse({ type: FeedbackPageResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED)
  async list(@Query() query: PageQuery): Promise<FeedbackPageResponse> {
    const page = await this.feedback.list(query.page, query.limit);
    return {
      items: page.items.map((row) => FeedbackResponse.from(row)),
      total: page.total,
      page: query.page,
      limit: query.limit,
    };
  }
}
