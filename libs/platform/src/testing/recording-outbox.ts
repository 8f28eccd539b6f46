import { DataSource } from 'typeorm';
import type { MailContent } from '../mail/mail-message';
import { Outbox, OutboxMessages, OutboxTarget } from '../outbox/outbox';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { TransactionRunner } from '../database/transaction-runner';
import { RpcClient } from '../rpc/rpc-client';
import { ModuleName } from '../topology/module-names';

export interface SentMessage {
  target: OutboxTarget;
  pattern: string;
  payload: unknown;
}

/**
 * A real Outbox on a test DataSource (it needs OutboxMessage among its entities and the outbox
 * table), whose receivers are recorded instead of called: unit tests see what a service sends.
 * `messages`: the store's audit events and batches (the contracts' recordingOutbox passes them).
 */
export function recordingOutbox<Audit = never, Mail extends MailContent = MailContent>(
  module: ModuleName,
  db: DataSource,
  runner = new TransactionRunner(db),
  messages?: OutboxMessages<Audit>,
): { outbox: Outbox<Audit, Mail>; sent: SentMessage[]; runner: TransactionRunner } {
  const sent: SentMessage[] = [];
  const clientOf = (target: OutboxTarget) =>
    ({
      send: async (pattern: string, payload: unknown) => {
        sent.push({ target, pattern, payload });
        return {};
      },
    }) as unknown as RpcClient;
  return {
    outbox: new Outbox<Audit, Mail>(module, db.getRepository(OutboxMessage), runner, clientOf, {
      messages,
    }),
    sent,
    runner,
  };
}
