import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
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
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { message, type ModuleApi } from './message';
import { ModuleClient } from './module-client';

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
  'backup',
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

/**
 * The events the search module records, all about search itself: a shopper's search, and an
 * employee's rebuild of the index or change of its synonyms.
 */
export const SEARCH_EVENT_TYPES = [
  'search',
  'search_reindexed',
  'search_synonyms_changed',
] as const;
export type SearchEventType = (typeof SEARCH_EVENT_TYPES)[number];

/** A subject of a search event: the only kind the search module records. */
export class SearchEventSubject extends AuditSubject {
  declare kind: 'search';
}
Equals('search')(SearchEventSubject.prototype, 'kind');

/** A search event (SEARCH_EVENT_TYPES), the only audit events the search module may record. */
export class SearchEventInput extends AuditEventInput {
  declare type: SearchEventType;
  declare subject: SearchEventSubject;
}
IsIn(SEARCH_EVENT_TYPES)(SearchEventInput.prototype, 'type');
ValidateNested()(SearchEventInput.prototype, 'subject');
Type(() => SearchEventSubject)(SearchEventInput.prototype, 'subject');

export class RecordSearchEventBatch {
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => SearchEventInput)
  items!: SearchEventInput[];
}

export interface RecordAuditReply {
  eventId: string;
  /** False when this event id had been stored before (a retry). */
  stored: boolean;
}

export interface RecordAuditBatchReply {
  items: RecordAuditReply[];
}

export const LoggingMessages = {
  /** Store one audit event; idempotent on eventId. */
  record: message<AuditEventInput, RecordAuditReply>('logging', 'record', { idempotent: true }),
  /** For each product: who created or last edited it, and when. */
  lastModified: message<LastModifiedRequest, LastModifiedReply>('logging', 'last_modified', {
    idempotent: true,
  }),
  /** Several events at once (what an outbox sends when events have queued up). */
  recordBatch: message<RecordAuditBatch, RecordAuditBatchReply>('logging', 'record_batch', {
    idempotent: true,
  }),
  /**
   * A search event: its own messages, so the search module may record search events and nothing
   * else (MESSAGE_CALLERS); any other event is refused as invalid.
   */
  recordSearch: message<SearchEventInput, RecordAuditReply>('logging', 'record_search', {
    idempotent: true,
  }),
  recordSearches: message<RecordSearchEventBatch, RecordAuditBatchReply>(
    'logging',
    'record_searches',
    { idempotent: true },
  ),
};

export type LoggingApi = ModuleApi<typeof LoggingMessages>;

/**
 * An audit event as a module describes it; what the outbox sends adds id, time and request id.
 * The time is now unless given (the demo store's history is dated in the past).
 */
export type NewAuditEvent = Omit<AuditEventInput, 'eventId' | 'occurredAt' | 'requestId'> & {
  /**
   * For an event that happens once to its subject (an order placed): its own id (onceEventId),
   * so that doing it again (a restored order confirmed once more) is recorded once.
   */
  eventId?: string;
  occurredAt?: string;
  /** The request's own id when the event is written later, in a batch of several requests. */
  requestId?: string;
};

/**
 * The id of the one event of `type` that can happen to a subject: the same for every writer
 * (a name-based UUID, version 5 form, of the type and the subject).
 */
export function onceEventId(type: string, subject: { kind: string; id: string }): string {
  const hash = createHash('sha1')
    .update(`${type}\u0000${subject.kind}\u0000${subject.id}`)
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The message that records an event in the log: the full event, and the key that keeps the
 * events of one subject (a product, an order, an account) in order.
 */
export function auditMessage(
  event: NewAuditEvent,
  requestId: string | undefined,
): {
  message: typeof LoggingMessages.record | typeof LoggingMessages.recordSearch;
  payload: AuditEventInput;
  orderKey: string;
} {
  const payload: AuditEventInput = {
    ...event,
    eventId: event.eventId ?? randomUUID(),
    occurredAt: event.occurredAt ?? new Date().toISOString(),
    requestId,
  };
  const orderKey = `${event.subject.kind}:${event.subject.id}`.slice(0, 100);
  const search =
    event.subject.kind === 'search' &&
    (SEARCH_EVENT_TYPES as readonly string[]).includes(event.type);
  return {
    message: search ? LoggingMessages.recordSearch : LoggingMessages.record,
    payload,
    orderKey,
  };
}

@Injectable()
export class LoggingClient extends ModuleClient implements LoggingApi {
  constructor(@Inject(rpcClientToken('logging')) rpc: RpcClient) {
    super(rpc);
  }

  record(event: AuditEventInput, timeoutMs?: number): Promise<RecordAuditReply> {
    return this.call(LoggingMessages.record, event, timeoutMs);
  }

  lastModified(request: LastModifiedRequest, timeoutMs?: number): Promise<LastModifiedReply> {
    return this.call(LoggingMessages.lastModified, request, timeoutMs);
  }

  recordBatch(batch: RecordAuditBatch, timeoutMs?: number): Promise<RecordAuditBatchReply> {
    return this.call(LoggingMessages.recordBatch, batch, timeoutMs);
  }

  recordSearch(event: SearchEventInput, timeoutMs?: number): Promise<RecordAuditReply> {
    return this.call(LoggingMessages.recordSearch, event, timeoutMs);
  }

  recordSearches(
    batch: RecordSearchEventBatch,
    timeoutMs?: number,
  ): Promise<RecordAuditBatchReply> {
    return this.call(LoggingMessages.recordSearches, batch, timeoutMs);
  }
}
