import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '@mfm/platform/auth/auth.decorators';
import { ErrorBodyDto } from '@mfm/platform/http/error-body.dto';
import { AuditLogService } from './audit-log.service';
import { ListLogsQuery } from './dto/list-logs.query';
import { AuditEventPageResponse, AuditEventResponse } from './dto/audit-event.response';

@ApiTags('logs')
@Controller('api/logs')
export class LogsController {
  constructor(private readonly log: AuditLogService) {}

  @Get()
  @Auth('employee')
  @ApiOperation({
    summary: 'The audit log, in time order (filter by type, actor username, time range)',
  })
  @ApiOkResponse({ type: AuditEventPageResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED', type: ErrorBodyDto })
  async list(@Query() query: ListLogsQuery): Promise<AuditEventPageResponse> {
    const page = await this.log.list(query);
    return {
      items: page.items.map((event) => AuditEventResponse.from(event)),
      total: page.total,
      page: query.page,
      limit: query.limit,
    };
  }
}
