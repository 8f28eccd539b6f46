import { Controller, Optional } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  AuditEventInput,
  LastModifiedReply,
  LastModifiedRequest,
  LoggingPatterns,
  RecordAuditBatch,
  RecordAuditReply,
} from '@mfm/contracts/logging.contract';
import { Metrics } from '@mfm/platform/metrics/metrics';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { AuditLogService } from './audit-log.service';

@Controller()
export class LoggingHandlers {
  constructor(
    private readonly log: AuditLogService,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  @MessagePattern(LoggingPatterns.record)
  async record(@RpcPayload() event: AuditEventInput): Promise<RecordAuditReply> {
    return this.counted([await this.log.record(event)])[0];
  }

  @MessagePattern(LoggingPatterns.lastModified)
  lastModified(@RpcPayload() request: LastModifiedRequest): Promise<LastModifiedReply> {
    return this.log.lastModified(request.productIds);
  }

  @MessagePattern(LoggingPatterns.recordBatch)
  async recordBatch(@RpcPayload() batch: RecordAuditBatch): Promise<{ items: RecordAuditReply[] }> {
    return { items: this.counted(await this.log.recordMany(batch.items)) };
  }

  /** Events stored, and repeats of events already stored (a redelivery, acknowledged again). */
  private counted(replies: RecordAuditReply[]): RecordAuditReply[] {
    for (const reply of replies)
      this.metrics?.auditEventsReceived.inc({ result: reply.stored ? 'stored' : 'duplicate' });
    return replies;
  }
}
