import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  AuditEventInput,
  LoggingPatterns,
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
}
