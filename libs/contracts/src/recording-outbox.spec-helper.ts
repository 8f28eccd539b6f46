import { DataSource } from 'typeorm';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import {
  type SentMessage,
  recordingOutbox as platformRecordingOutbox,
} from '@mfm/platform/testing/recording-outbox';
import type { ModuleName } from '@mfm/platform/topology/module-names';
import type { NewAuditEvent } from './logging.contract';
import type { StoreMail } from './mail';
import { OUTBOX_MESSAGES, type Outbox } from './outbox';

export type { SentMessage };

/**
 * The platform's recording outbox with the store's messages: the audit events a service writes
 * are recorded as the log's messages, as the running store would send them.
 */
export function recordingOutbox(
  module: ModuleName,
  db: DataSource,
  runner = new TransactionRunner(db),
): { outbox: Outbox; sent: SentMessage[]; runner: TransactionRunner } {
  return platformRecordingOutbox<NewAuditEvent, StoreMail>(module, db, runner, OUTBOX_MESSAGES);
}
