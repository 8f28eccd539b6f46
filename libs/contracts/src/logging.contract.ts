import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ModuleClient } from './module-client';

export const LoggingPatterns = {
  /** Store one audit event; idempotent on eventId. */
  record: 'logging.record',
  /** For each product: who created or last edited it, and when. */
  lastModified: 'logging.last_modified',
  /** Several events at once (what an outbox sends when events have queued up). */
  recordBatch: 'logging.record_batch',
} as const;

export class LastModifiedRequest {
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  productIds!: string[];
}

export interface LastModifiedReply {
  /** Only products the log knows; username is null for changes made by the system (seed data). */
  items: Array<{ productId: string; username: string | null; at: string }>;
}

export const AUDIT_SUBJECT_KINDS = [
  'user',
  'product',
  'order',
  'search',
  'review',
  'feedback',
] as const;

export class AuditActor {
  @IsUUID()
  userId!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;
}

export class AuditSubject {
  @IsIn(AUDIT_SUBJECT_KINDS)
  kind!: (typeof AUDIT_SUBJECT_KINDS)[number];

  @IsString()
  @MinLength(1)
  @MaxLength(64)
  id!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

/** One successful state change somewhere in the system. */
export class AuditEventInput {
  @IsUUID()
  eventId!: string;

  /** e.g. user_created, login, user_updated, product_updated, order_placed. */
  @Matches(/^[a-z][a-z_]{1,48}$/)
  type!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => AuditActor)
  actor?: AuditActor;

  @ValidateNested()
  @Type(() => AuditSubject)
  subject!: AuditSubject;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  requestId?: string;

  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;
}

export class RecordAuditBatch {
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => AuditEventInput)
  items!: AuditEventInput[];
}

export interface RecordAuditReply {
  eventId: string;
  /** False when this event id had been stored before (a retry). */
  stored: boolean;
}

@Injectable()
export class LoggingClient extends ModuleClient {
  constructor(@Inject(rpcClientToken('logging')) rpc: RpcClient) {
    super(rpc);
  }

  record(event: AuditEventInput, timeoutMs?: number): Promise<RecordAuditReply> {
    return this.rpc.send<RecordAuditReply>(LoggingPatterns.record, event, {
      idempotent: true,
      timeoutMs,
    });
  }

  lastModified(request: LastModifiedRequest, timeoutMs?: number): Promise<LastModifiedReply> {
    return this.rpc.send<LastModifiedReply>(LoggingPatterns.lastModified, request, {
      idempotent: true,
      timeoutMs,
    });
  }
}
