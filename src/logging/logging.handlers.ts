import { Controller, Optional } from '@nestjs/common';
import {
  AuditEventInput,
  LastModifiedReply,
  LastModifiedRequest,
  LoggingApi,
  LoggingMessages,
  RecordAuditBatch,
  RecordAuditBatchReply,
  RecordAuditReply,
  RecordSearchEventBatch,
  SearchEventInput,
} from '@mfm/contracts/logging.contract';
import { Handles } from '@mfm/contracts/message';
import { Metrics } from '@mfm/platform/metrics/metrics';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { AuditLogService } from './audit-log.service';

@Controller()
/** The logging module's messages (LoggingMessages in libs/contracts). */
export class LoggingHandlers implements LoggingApi {
  constructor(
    private readonly log: AuditLogService,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  @Handles(LoggingMessages.record)
  async record(@RpcPayload() event: AuditEventInput): Promise<RecordAuditReply> {
    return this.counted([await this.log.record(event)])[0];
  }

  @Handles(LoggingMessages.lastModified)
  lastModified(@RpcPayload() request: LastModifiedRequest): Promise<LastModifiedReply> {
    return this.log.lastModified(request.productIds);
  }

  @Handles(LoggingMessages.recordBatch)
  async recordBatch(@RpcPayload() batch: RecordAuditBatch): Promise<RecordAuditBatchReply> {
    return { items: this.counted(await this.log.recordMany(batch.items)) };
  }

  @Handles(LoggingMessages.recordSearch)
  async recordSearch(@RpcPayload() event: SearchEventInput): Promise<RecordAuditReply> {
    return this.counted([await this.log.record(event)])[0];
  }

  @Handles(LoggingMessages.recordSearches)
  async recordSearches(
    @RpcPayload() batch: RecordSearchEventBatch,
  ): Promise<RecordAuditBatchReply> {
    return { items: this.counted(await this.log.recordMany(batch.items)) };
  }

  /** Events stored, and repeats of events already stored (a redelivery, acknowledged again). */
  private counted(replies: RecordAuditReply[]): RecordAuditReply[] {
    for (const reply of replies)
      this.metrics?.auditEventsReceived.inc({ result: reply.stored ? 'stored' : 'duplicate' });
    return replies;
  }
}
