import type {
  Outbox as PlatformOutbox,
  OutboxMessages,
  OutboxWriter as PlatformOutboxWriter,
} from '@mfm/platform/outbox/outbox';
import { NewAuditEvent, auditMessage } from './logging.contract';
import type { StoreMail } from './mail';
import { BATCH_PATTERNS } from './outbox-batches';

/** A module's outbox, whose audit events are the log's (NewAuditEvent) and mails the store's. */
export type Outbox = PlatformOutbox<NewAuditEvent, StoreMail>;
export type OutboxWriter = PlatformOutboxWriter<NewAuditEvent, StoreMail>;

/** The store's messages as every outbox sends them: audit events to the log, and batches. */
export const OUTBOX_MESSAGES: OutboxMessages<NewAuditEvent> = {
  // An event written later, in a batch of several requests, keeps its own request's id.
  audit: (event, requestId) => auditMessage(event, event.requestId ?? requestId),
  batchPatterns: BATCH_PATTERNS,
};
