import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  AuditEventInput,
  LastModifiedReply,
  LastModifiedRequest,
  LoggingPatterns,
  RecordAuditBatch,
  RecordAuditReply,
} from '@mfm/contracts/logging.contract';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { AuditLogService } from './audit-log.service';

@Controller()
export class LoggingHandlers {
  constructor(private readonly log: AuditLogService) {}

  @MessagePattern(LoggingPatterns.record)
  record(@RpcPayload() event: AuditEventInput): Promise<RecordAuditReply> {
    return this.log.record(event);
  }

  @MessagePattern(LoggingPatterns.lastModified)
  lastModified(@RpcPayload() request: LastModifiedRequest): Promise<LastModifiedReply> {
    return this.log.lastModified(request.productIds);
  }

  @MessagePattern(LoggingPatterns.recordBatch)
  async recordBatch(@RpcPayload() batch: RecordAuditBatch): Promise<{ items: RecordAuditReply[] }> {
    return { items: await this.log.recordMany(batch.items) };
  }
}
