import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoggingErrors } from '@mfm/contracts/errors.contract';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser } from '@mfm/platform/auth/auth.decorators';
import { AuditLogService } from './audit-log.service';
import { ListLogsQuery } from './dto/list-logs.query';
import { AuditEventPageResponse, AuditEventResponse } from './dto/audit-event.response';

@ApiTags('logs')
@Controller('api/logs')
export class LogsController {
  constructor(private readonly log: AuditLogService) {}

  @Get()
  @Auth()
  @ApiOperation({
    operationId: 'listAuditEvents',
    summary: 'The audit log, oldest or newest first (filter by type, actor, product, time range)',
    description:
      'Employees read every event; a customer reads only the events they performed (asking for another username → 403).',
  })
  @ApiOkResponse({ type: AuditEventPageResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, LoggingErrors.FORBIDDEN_OTHERS_EVENTS)
  async list(
    @Query() query: ListLogsQuery,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<AuditEventPageResponse> {
    const own = caller.role !== 'employee';
    if (
      own &&
      query.username !== undefined &&
      query.username.toLowerCase() !== caller.username.toLowerCase()
    ) {
      throw LoggingErrors.FORBIDDEN_OTHERS_EVENTS.error();
    }
    const page = await this.log.list(query, own ? caller.userId : undefined);
    return {
      items: page.items.map((event) => AuditEventResponse.from(event)),
      total: page.total,
      page: query.page,
      limit: query.limit,
      nextCursor: page.nextCursor,
    };
  }
}
